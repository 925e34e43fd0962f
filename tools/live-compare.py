#!/usr/bin/python3
"""Checks for tools/live-test.

live-compare.py OFFLINE_EVE LIVE_EVE
    same flows (5-tuple, VLAN, proto, packets and bytes per direction), the
    same netflow records, and capture.kernel_drops == 0 in the live run.
live-compare.py --shutdown LIVE_EVE
    a final stats record exists, the capture saw packets, and every packet
    decoded with a transport header is counted in a flow record.
"""
import collections
import json
import sys


def load(path):
    with open(path) as f:
        return [json.loads(line) for line in f]


def flow_key(r):
    return (r.get("proto"), r.get("src_ip"), r.get("src_port"), r.get("dest_ip"),
            r.get("dest_port"), tuple(r.get("vlan", [])))


def flows(recs):
    c = collections.Counter()
    for r in recs:
        if r["event_type"] == "flow":
            f = r["flow"]
            c[flow_key(r) + (f["pkts_toserver"], f["pkts_toclient"], f["bytes_toserver"],
                             f["bytes_toclient"])] += 1
    return c


def netflows(recs):
    c = collections.Counter()
    for r in recs:
        if r["event_type"] == "netflow":
            c[flow_key(r) + (r["netflow"]["pkts"], r["netflow"]["bytes"])] += 1
    return c


def last_stats(recs):
    s = [r for r in recs if r["event_type"] == "stats"]
    return s[-1]["stats"] if s else None


def compare(offline, live):
    off, liv = load(offline), load(live)
    ok = True
    for name, fn in (("flow", flows), ("netflow", netflows)):
        a, b = fn(off), fn(liv)
        if a != b:
            ok = False
            print("  %s records differ: offline-only %s, live-only %s" % (
                name, list((a - b).elements())[:3], list((b - a).elements())[:3]))
    st = last_stats(liv)
    if st is None:
        print("  no stats record in the live run")
        return False
    cap = st.get("capture", {})
    print("  flows %d, kernel_packets %d, kernel_drops %d, kernel_ifdrops %d" % (
        sum(flows(liv).values()), cap.get("kernel_packets", 0), cap.get("kernel_drops", 0),
        cap.get("kernel_ifdrops", 0)))
    if cap.get("kernel_drops", 0) != 0 or cap.get("kernel_packets", 0) == 0:
        ok = False
        print("  kernel drops, or no packets seen")
    return ok


def shutdown(live):
    recs = load(live)
    st = last_stats(recs)
    if st is None:
        print("  no final stats record")
        return False
    pkts = st["decoder"]["pkts"]
    in_flows = sum(r["flow"]["pkts_toserver"] + r["flow"]["pkts_toclient"]
                   for r in recs if r["event_type"] == "flow")
    # Fragments are not flow packets; each reassembled datagram is one.
    d = st.get("defrag", {})
    frags = d.get("ipv4", {}).get("fragments", 0) + d.get("ipv6", {}).get("fragments", 0)
    rebuilt = d.get("ipv4", {}).get("reassembled", 0) + d.get("ipv6", {}).get("reassembled", 0)
    expect = pkts - frags + rebuilt - st["decoder"].get("invalid", 0)
    print("  decoded %d packets (%d fragments -> %d datagrams), %d in flow records" % (
        pkts, frags, rebuilt, in_flows))
    return pkts > 0 and in_flows == expect


def main():
    if sys.argv[1] == "--shutdown":
        return 0 if shutdown(sys.argv[2]) else 1
    return 0 if compare(sys.argv[1], sys.argv[2]) else 1


if __name__ == "__main__":
    sys.exit(main())
