#!/usr/bin/python3
"""Compare what nfdump read back from nfcapd with what the exporter should
have sent.  Used by tools/collector-test.

    nfcompare.py --nfdump NF.json (--eve eve.json | --records records.txt)
                 [--biflow] [--verbose]

NF.json is `TZ=UTC nfdump -R DIR -o json`.  The expectation comes from the
sensor's EVE `flow` records (--eve) or from a tests/ipfix/send_records input
file (--records).  One flow becomes:

  * uni-directional (NetFlow v9, and IPFIX without biflow): a record
    client->server with the to-server packets and bytes, and, when the
    server sent packets, a record server->client (addresses and ports
    swapped) with the to-client counters;
  * --biflow (IPFIX, RFC 5103): one record client->server whose "out"
    counters (nfdump maps reverseOctet/PacketDeltaCount there) are the
    to-client ones.

Every record must match on protocol, addresses, ports, packets, bytes and
flow start/end to the millisecond (EVE's microseconds truncated).  ICMP has
no ports: source 0, destination type<<8|code (NetFlow convention; nfdump
shows icmp_type/icmp_code); the reply record of an ICMP flow may carry the
request's or the reply's type/code.  Prints "ok: N records" or the
differences; exits 0 when equal, 1 otherwise, 2 on bad input.
"""

import argparse
import collections
import datetime
import ipaddress
import json
import sys

PROTO = {"TCP": 6, "UDP": 17, "ICMP": 1, "IPv6-ICMP": 58, "SCTP": 132, "GRE": 47,
         "ESP": 50, "AH": 51, "IGMP": 2, "IPIP": 4, "IPv6": 41, "PIM": 103}
ICMP = (1, 58)
ANY = "*"  # reply type/code of an ICMP flow: not checked


def proto_num(p):
    if isinstance(p, int):
        return p
    if p in PROTO:
        return PROTO[p]
    return int(p)


def addr(a):
    return ipaddress.ip_address(a).compressed


def eve_ms(ts):
    """'2023-11-14T22:13:20.123456+0000' -> epoch milliseconds (truncated)."""
    t = datetime.datetime.strptime(ts, "%Y-%m-%dT%H:%M:%S.%f%z")
    us = (t - datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)) // \
        datetime.timedelta(microseconds=1)
    return us // 1000


def nf_ms(ts):
    """nfdump json '2023-11-14T22:13:20.123' (UTC with TZ=UTC) -> epoch ms."""
    t = datetime.datetime.strptime(ts, "%Y-%m-%dT%H:%M:%S.%f")
    t = t.replace(tzinfo=datetime.timezone.utc)
    return int(t.timestamp() * 1000 + 0.5)


def flow_expect(proto, src, dst, sp, dp, pkts, byts, start, end, biflow):
    """Expected nfdump tuples of one flow:
    (proto, src, sp, dst, dp, in_pkts, in_bytes, out_pkts, out_bytes, first, last)."""
    icmp = proto in ICMP
    if icmp:
        sp = 0
    if biflow:
        return [(proto, src, sp, dst, dp, pkts[0], byts[0], pkts[1], byts[1], start, end)]
    # A direction without packets gets no record (a flow first seen from its
    # server, e.g. a SYN+ACK, has none client->server).
    out = []
    if pkts[0] > 0 or pkts[1] == 0:
        out.append((proto, src, sp, dst, dp, pkts[0], byts[0], 0, 0, start, end))
    if pkts[1] > 0:
        if icmp:
            out.append((proto, dst, 0, src, ANY, pkts[1], byts[1], 0, 0, start, end))
        else:
            out.append((proto, dst, dp, src, sp, pkts[1], byts[1], 0, 0, start, end))
    return out


def load_eve(path, biflow):
    exp = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line:
                continue
            try:
                r = json.loads(line)
            except ValueError as e:
                raise SystemExit("nfcompare: %s:%d: %s" % (path, n, e))
            if r.get("event_type") != "flow":
                continue
            proto = proto_num(r["proto"])
            fl = r["flow"]
            if proto in ICMP:
                sp, dp = 0, r.get("icmp_type", 0) * 256 + r.get("icmp_code", 0)
            else:
                sp, dp = r.get("src_port", 0), r.get("dest_port", 0)
            exp += flow_expect(proto, addr(r["src_ip"]), addr(r["dest_ip"]), sp, dp,
                               (fl["pkts_toserver"], fl["pkts_toclient"]),
                               (fl["bytes_toserver"], fl["bytes_toclient"]),
                               eve_ms(fl["start"]), eve_ms(fl["end"]), biflow)
    return exp


def load_records(path, biflow):
    exp = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].replace(",", " ").split()
            if not line:
                continue
            v = line
            proto = int(v[1])
            exp += flow_expect(proto, addr(v[2]), addr(v[3]), int(v[4]), int(v[5]),
                               (int(v[6]), int(v[8])), (int(v[7]), int(v[9])),
                               int(v[10]), int(v[11]), biflow)
    return exp


def load_nfdump(path, biflow):
    with open(path, encoding="utf-8") as f:
        text = f.read().strip()
    # nfdump 1.7.1 prints "[\nNo matching flows\n]" when nothing was collected
    if not text or "No matching flows" in text:
        return []
    recs = json.loads(text)
    got = []
    for r in recs:
        if r.get("type", "FLOW") != "FLOW":
            continue
        proto = int(r["proto"])
        src = addr(r.get("src4_addr") or r.get("src6_addr"))
        dst = addr(r.get("dst4_addr") or r.get("dst6_addr"))
        if proto in ICMP:
            sp, dp = 0, r.get("icmp_type", 0) * 256 + r.get("icmp_code", 0)
        else:
            sp, dp = r.get("src_port", 0), r.get("dst_port", 0)
        outp = r.get("out_packets", 0) if biflow else 0
        outb = r.get("out_bytes", 0) if biflow else 0
        got.append((proto, src, sp, dst, dp, r.get("in_packets", 0), r.get("in_bytes", 0),
                    outp, outb, nf_ms(r["first"]), nf_ms(r["last"])))
    return got


def show(t):
    t = list(t)
    for i in (1, 3):
        if ":" in t[i]:
            t[i] = "[%s]" % t[i]
    return "proto %s %s:%s -> %s:%s pkts %s bytes %s out %s/%s start %s end %s" % tuple(t)


def compare(exp, got):
    """Returns (missing, unexpected) lists."""
    want = collections.Counter(exp)
    have = collections.Counter(got)
    common = want & have
    want -= common
    have -= common
    # ICMP replies: match with the type/code left out
    for t in list(want.elements()):
        if t[4] != ANY:
            continue
        for h in list(have.elements()):
            if h[:4] + h[5:] == t[:4] + t[5:] and have[h] > 0:
                have[h] -= 1
                want[t] -= 1
                break
    return list((+want).elements()), list((+have).elements())


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--nfdump", required=True)
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--eve")
    src.add_argument("--records")
    ap.add_argument("--biflow", action="store_true")
    ap.add_argument("--verbose", action="store_true")
    a = ap.parse_args()
    try:
        exp = load_eve(a.eve, a.biflow) if a.eve else load_records(a.records, a.biflow)
        got = load_nfdump(a.nfdump, a.biflow)
    except (OSError, ValueError, KeyError) as e:
        print("nfcompare: %s" % e)
        return 2
    missing, unexpected = compare(exp, got)
    if not missing and not unexpected:
        print("ok: %d records" % len(got))
        if a.verbose:
            for t in sorted(got, key=str):
                print("  " + show(t))
        return 0
    print("expected %d records, nfdump has %d: %d missing, %d unexpected" %
          (len(exp), len(got), len(missing), len(unexpected)))
    for t in missing[:10]:
        print("  missing:    " + show(t))
    for t in unexpected[:10]:
        print("  unexpected: " + show(t))
    return 1


if __name__ == "__main__":
    sys.exit(main())
