#!/usr/bin/python3
"""Stand-in for a sensor that exports flows itself, used by
`tools/collector-test --emulate-export` while the exporter is not wired
into the sensor yet, and to test the collector path on real captures.

Called like the sensor (`-r PCAP -l DIR -c CONF [-k none] ...`): runs the
real sensor ($EMULATE_SENSOR) with the same arguments, then turns every EVE
`flow` record of DIR/eve.json into a tests/ipfix/send_records input line
and runs $EMULATE_SENDER -c CONF on them, which sends them through
sensor/ipfix_*.c to the config's `outputs: - ipfix:` collectors exactly as
the sensor would (now_ms = flow end). Exit status: the sensor's, else the
sender's.
"""

import datetime
import json
import os
import subprocess
import sys

PROTO = {"TCP": 6, "UDP": 17, "ICMP": 1, "IPv6-ICMP": 58, "SCTP": 132, "GRE": 47,
         "ESP": 50, "AH": 51}
REASON = {"timeout": 1, "forced": 4, "shutdown": 4, "tcp_reuse": 3}


def arg(argv, flag):
    for i, a in enumerate(argv[:-1]):
        if a == flag:
            return argv[i + 1]
    raise SystemExit("emulate_export: missing %s" % flag)


def epoch_ms(ts):
    t = datetime.datetime.strptime(ts, "%Y-%m-%dT%H:%M:%S.%f%z")
    epoch = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
    return ((t - epoch) // datetime.timedelta(microseconds=1)) // 1000


def record(r):
    p = r["proto"]
    proto = PROTO[p] if p in PROTO else int(p)
    if proto in (1, 58):
        sp, dp = 0, r.get("icmp_type", 0) * 256 + r.get("icmp_code", 0)
    else:
        sp, dp = r.get("src_port", 0), r.get("dest_port", 0)
    fl = r["flow"]
    tcp = r.get("tcp", {})
    vlan = r.get("vlan", [0])[0]
    app = r.get("app_proto", "")
    return " ".join(str(x) for x in (
        r["ip_v"], proto, r["src_ip"], r["dest_ip"], sp, dp,
        fl["pkts_toserver"], fl["bytes_toserver"], fl["pkts_toclient"], fl["bytes_toclient"],
        epoch_ms(fl["start"]), epoch_ms(fl["end"]),
        int(tcp.get("tcp_flags_ts", "00"), 16), int(tcp.get("tcp_flags_tc", "00"), 16),
        0, vlan, REASON.get(fl.get("reason"), 1), app)).rstrip()


def main():
    argv = sys.argv[1:]
    rc = subprocess.call([os.environ["EMULATE_SENSOR"]] + argv)
    if rc != 0:
        return rc
    lines = []
    with open(os.path.join(arg(argv, "-l"), "eve.json"), encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            if r.get("event_type") == "flow":
                lines.append(record(r))
    p = subprocess.run([os.environ["EMULATE_SENDER"], "-c", arg(argv, "-c")],
                       input="\n".join(lines) + "\n", text=True)
    return p.returncode


if __name__ == "__main__":
    sys.exit(main())
