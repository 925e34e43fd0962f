#!/usr/bin/python3
"""A stand-in sensor for testing tools/run-e2e itself (tests/e2e/test_runner.sh).

    fake_sensor.py -r X.pcap -l DIR [-c CFG] [-k none]

Reads X.expect.json next to the capture and writes DIR/eve.json with the
flow, netflow, dns, anomaly and stats records a correct sensor would write, in
Suricata's shape (schema-valid).  The environment variable FAKE_MUTATION
breaks the output in one chosen way so the runner's checks can be seen to
catch it; see MUTATIONS.  Without an expectation file (or on a capture it
cannot read) it behaves like a sensor that refuses the input.
"""

import ipaddress
import json
import os
import sys

MUTATIONS = (
    "none",  # correct output
    "expanded-ipv6",  # correct, IPv6 written with all zeros as Suricata does
    "zeros-omitted",  # correct, zero counters left out of stats
    "badjson",  # one line that is not JSON
    "schema",  # a field the EVE schema does not allow
    "counter",  # first flow: pkts_toserver off by one
    "missingflow",  # first flow record dropped
    "extraflow",  # one flow nobody expected
    "swapped",  # first flow logged server -> client
    "netflow",  # netflow records dropped
    "netflow-bytes",  # first netflow record: bytes off by one
    "anomaly",  # one anomaly too many
    "dns",  # first dns record dropped, or one nobody expected
    "stats",  # decoder.pkts off by one
    "nostats",  # no stats record
    "flowid",  # flow_id written as a string
    "communityid",  # community_id without the "1:" version
    "notimestamp",  # first record without timestamp
    "exit1",  # exits 1 after writing everything
)

TS = "2023-11-14T22:13:20.000000+0000"


def addr(a, expanded):
    ip = ipaddress.ip_address(a)
    if expanded and ip.version == 6:
        return ip.exploded
    return ip.compressed


def header(event_type, flow_id, f, reverse, expanded):
    src, dst = ("dest", "src") if reverse else ("src", "dest")
    rec = {"timestamp": TS, "flow_id": flow_id, "event_type": event_type}
    if f.get("vlan"):
        rec["vlan"] = f["vlan"]
    rec["src_ip"] = addr(f[src + "_ip"], expanded)
    if src + "_port" in f:
        rec["src_port"] = f[src + "_port"]
    rec["dest_ip"] = addr(f[dst + "_ip"], expanded)
    if dst + "_port" in f:
        rec["dest_port"] = f[dst + "_port"]
    rec["proto"] = f["proto"]
    return rec


def nest(flat):
    out = {}
    for path, value in flat.items():
        node = out
        parts = path.split(".")
        for p in parts[:-1]:
            node = node.setdefault(p, {})
        node[parts[-1]] = value
    return out


def records(expect, mut):
    expanded = mut == "expanded-ipv6"
    flows = [dict(f) for f in expect["flows"]]
    if mut == "counter" and flows:
        flows[0]["pkts_toserver"] += 1
    if mut == "missingflow" and flows:
        flows = flows[1:]
    if mut == "extraflow":
        flows.append({"proto": "UDP", "src_ip": "10.9.9.9", "src_port": 1, "dest_ip": "10.9.9.10",
                      "dest_port": 2, "pkts_toserver": 1, "pkts_toclient": 0,
                      "bytes_toserver": 60, "bytes_toclient": 0})
    if mut == "swapped" and flows:
        f = flows[0]
        f["src_ip"], f["dest_ip"] = f["dest_ip"], f["src_ip"]
        if "src_port" in f:
            f["src_port"], f["dest_port"] = f["dest_port"], f["src_port"]
        f["pkts_toserver"], f["pkts_toclient"] = f["pkts_toclient"], f["pkts_toserver"]
        f["bytes_toserver"], f["bytes_toclient"] = f["bytes_toclient"], f["bytes_toserver"]
    out = []
    for i, f in enumerate(flows, 1):
        fid = 1000 + i
        rec = header("flow", fid, f, False, expanded)
        rec["flow"] = {k: f[k] for k in ("pkts_toserver", "pkts_toclient", "bytes_toserver",
                                         "bytes_toclient")}
        rec["flow"].update({"start": TS, "end": TS, "age": 0, "state": "closed",
                            "reason": "shutdown", "alerted": False})
        rec["community_id"] = "1:fakefakefakefakefakefakefak="
        if mut == "flowid" and i == 1:
            rec["flow_id"] = str(fid)
        if mut == "communityid" and i == 1:
            rec["community_id"] = "fakefakefakefakefakefakefak="
        out.append(rec)
        if mut == "netflow":
            continue
        for rev, side in ((False, "toserver"), (True, "toclient")):
            if f["pkts_" + side] == 0:
                continue
            nf = header("netflow", fid, f, rev, expanded)
            nf["netflow"] = {"pkts": f["pkts_" + side], "bytes": f["bytes_" + side],
                             "start": TS, "end": TS, "age": 0}
            if mut == "netflow-bytes" and i == 1 and not rev:
                nf["netflow"]["bytes"] += 1
            out.append(nf)
    anomalies = dict(expect["anomalies"])
    if mut == "anomaly":
        anomalies["decoder.ipv4.pkt_too_small"] = anomalies.get("decoder.ipv4.pkt_too_small", 0) + 1
    for name, count in anomalies.items():
        for _ in range(count):
            out.append({"timestamp": TS, "event_type": "anomaly",
                        "anomaly": {"type": "decode", "event": name}})
    dns = list(expect.get("dns", []))
    if mut == "dns":
        dns = dns[1:] if dns else [{"version": 3, "type": "request", "tx_id": 0, "id": 1,
                                    "flags": "100", "rd": True, "opcode": 0, "rcode": "NOERROR",
                                    "queries": [{"rrname": "x", "rrtype": "A"}]}]
    for obj in dns:
        out.append({"timestamp": TS, "event_type": "dns", "dns": obj})
    stats = dict(expect["stats"])
    if mut == "stats":
        stats["decoder.pkts"] += 1
    if mut == "zeros-omitted":
        stats = {k: v for k, v in stats.items() if v != 0}
    if mut != "nostats":
        out.append({"timestamp": TS, "event_type": "stats", "stats": nest(stats)})
    if mut == "schema" and out:
        out[0]["not_an_eve_field"] = 1
    if mut == "notimestamp" and out:
        del out[0]["timestamp"]
    return out


def main(argv):
    if "--help" in argv or "--version" in argv:
        print("fake_sensor (tests/e2e/fake_sensor.py)")
        return 0
    opts = dict(zip(argv[1::2], argv[2::2]))
    pcap, logdir = opts.get("-r"), opts.get("-l")
    mut = os.environ.get("FAKE_MUTATION", "none")
    if mut not in MUTATIONS:
        print("fake_sensor: unknown FAKE_MUTATION %s" % mut, file=sys.stderr)
        return 2
    if not pcap or not logdir:
        print("fake_sensor: need -r and -l", file=sys.stderr)
        return 2
    expect_path = pcap[: -len(".pcap")] + ".expect.json" if pcap.endswith(".pcap") else ""
    if not os.path.isfile(pcap):
        print("fake_sensor: %s: no such file" % pcap, file=sys.stderr)
        return 1
    if not os.path.isfile(expect_path):
        print("fake_sensor: %s: no expectation next to it, refusing" % pcap, file=sys.stderr)
        return 1
    with open(expect_path, encoding="utf-8") as f:
        expect = json.load(f)
    with open(os.path.join(logdir, "eve.json"), "w", encoding="utf-8") as f:
        for rec in records(expect, mut):
            f.write(json.dumps(rec, separators=(",", ":")) + "\n")
        if mut == "badjson":
            f.write("{\"event_type\": \"flow\", truncated\n")
    return 1 if mut == "exit1" else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
