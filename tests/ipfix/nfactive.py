#!/usr/bin/python3
"""Check interim (active-timeout) reports: the sensor's EVE `flow` records
and what nfdump read back from nfcapd, against the capture itself.  Used by
tools/collector-test --active.

    nfactive.py --pcap P --eve eve.json --nfdump NF.json --active-timeout S
                --interim N,N,... --records N,N,... [--verbose]

The sensor (sensor/flow_table.c, sensor/wrk.c) runs flow timeouts once per
second of capture time: before the first packet of each new second ("a
tick").  At a tick at time t every flow whose last report (or start) R has
R + S <= t is reported and R becomes t.  A report writes an EVE `flow`
record with flow.reason "active" and the counters since the flow's start,
and exports the packets since the previous report: per direction that had
packets then, one uni-directional record (NetFlow v9 / IPFIX without
biflow) with that direction's delta packets and bytes, start = the first
packet of the interval, end = its last packet (either direction, ms).  The
flow's real end writes the final EVE record (totals) and exports the last
interval if it had packets.

This script replays that on the capture's timestamps and checks
  (a) EVE: per flow, --interim gives the number of "active" records, in
      the order the flows' first packets appear in the capture; each comes
      at the predicted tick with the running totals of the packets before
      it; then exactly one final record with the flow's totals;
  (b) nfdump: per flow and direction, --records gives the number of
      records (same order; "6" or "6/5" for to-server/to-client); they sum
      to the EVE final totals, their time ranges do not overlap, the first
      starts at the flow's first packet, the last ends at its last packet,
      and every record equals the predicted one (packets, bytes, start,
      end); no other records.
Prints "ok: ..." or the problems; exits 0 when all hold, 1 otherwise, 2 on
bad input.  Ethernet (802.1Q tags allowed), IPv4/IPv6, TCP/UDP only.
"""

import argparse
import collections
import datetime
import ipaddress
import json
import os
import struct
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from nfcompare import nf_ms  # noqa: E402  (same dir, not a package)

PROTO = {"TCP": 6, "UDP": 17}
ETH_VLAN = (0x8100, 0x88a8, 0x9100)
TCP_SYN, TCP_ACK = 0x02, 0x10


class Pkt:
    __slots__ = ("idx", "ts", "proto", "src", "dst", "sp", "dp", "flags", "length")


def read_pcap(path):
    """Returns the frames as Pkt (TCP/UDP over IP) and the timestamps of
    every frame (the sensor ticks on any frame)."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24:
        raise ValueError("%s: not a pcap file" % path)
    magic = data[:4]
    formats = {b"\xd4\xc3\xb2\xa1": ("<", 1), b"\xa1\xb2\xc3\xd4": (">", 1),
               b"\x4d\x3c\xb2\xa1": ("<", 1000), b"\xa1\xb2\x3c\x4d": (">", 1000)}
    if magic not in formats:
        raise ValueError("%s: unknown pcap magic %s" % (path, magic.hex()))
    end, div = formats[magic]
    if struct.unpack(end + "I", data[20:24])[0] != 1:
        raise ValueError("%s: link type is not Ethernet" % path)
    off, idx, pkts, all_ts = 24, 0, [], []
    while off + 16 <= len(data):
        sec, frac, caplen, _ = struct.unpack(end + "IIII", data[off:off + 16])
        frame = data[off + 16:off + 16 + caplen]
        off += 16 + caplen
        ts = sec * 1000000 + frac // div
        all_ts.append((idx, ts))
        p = decode(frame)
        if p is not None:
            p.idx, p.ts, p.length = idx, ts, caplen
            pkts.append(p)
        idx += 1
    return pkts, all_ts


def decode(b):
    """Pkt for an Ethernet/IP/TCP|UDP frame, else None."""
    if len(b) < 14:
        return None
    etype, o = struct.unpack("!H", b[12:14])[0], 14
    while etype in ETH_VLAN and len(b) >= o + 4:
        etype, o = struct.unpack("!H", b[o + 2:o + 4])[0], o + 4
    p = Pkt()
    if etype == 0x0800 and len(b) >= o + 20:
        ihl = (b[o] & 0x0f) * 4
        p.proto = b[o + 9]
        p.src = ipaddress.ip_address(b[o + 12:o + 16]).compressed
        p.dst = ipaddress.ip_address(b[o + 16:o + 20]).compressed
        o += ihl
    elif etype == 0x86dd and len(b) >= o + 40:
        p.proto = b[o + 6]
        p.src = ipaddress.ip_address(b[o + 8:o + 24]).compressed
        p.dst = ipaddress.ip_address(b[o + 24:o + 40]).compressed
        o += 40
    else:
        return None
    if p.proto not in (6, 17) or len(b) < o + (20 if p.proto == 6 else 8):
        return None
    p.sp, p.dp = struct.unpack("!HH", b[o:o + 4])
    p.flags = b[o + 13] if p.proto == 6 else 0
    return p


def build_flows(pkts):
    """Flows in order of their first packet: dict with key (proto, client,
    cport, server, sport) and packets [(Pkt, dir)], dir 0 = to server.  The
    client sends the first packet, unless that is a TCP SYN+ACK."""
    flows, index = [], {}
    for p in pkts:
        k = (p.proto, p.src, p.sp, p.dst, p.dp)
        r = (p.proto, p.dst, p.dp, p.src, p.sp)
        if k in index:
            f, d = index[k], 0
        elif r in index:
            f, d = index[r], 1
        else:
            flip = p.proto == 6 and (p.flags & (TCP_SYN | TCP_ACK)) == (TCP_SYN | TCP_ACK)
            f = {"key": r if flip else k, "pkts": []}
            index[f["key"]] = f
            flows.append(f)
            d = 1 if flip else 0
        f["pkts"].append((p, d))
    return flows


def ticks(all_ts):
    """(frame index, time) of the first frame of each new second."""
    out, last = [], None
    for idx, ts in all_ts:
        if ts // 1000000 != last:
            last = ts // 1000000
            out.append((idx, ts))
    return out


def predict(flow, tick_list, timeout_us, end_us, end_inclusive):
    """Interim reports [(tick time, frame index)] of one flow, for ticks
    after its first packet and before its end. A report falls due every
    timeout since the last one; it is written only when the flow had
    packets since the last report (the frame that triggers the tick counts
    in the next interval)."""
    first = flow["pkts"][0][0]
    idxs = [p.idx for p, _ in flow["pkts"]]
    r, reps, last_idx = first.ts, [], -1
    for idx, t in tick_list:
        if idx <= first.idx:
            continue
        if t > end_us or (t == end_us and not end_inclusive):
            break
        if r + timeout_us <= t:
            if any(last_idx < i < idx for i in idxs):
                reps.append((t, idx))
                last_idx = idx - 1
            r = t
    return reps


def totals(pkts):
    c = [0, 0, 0, 0]  # pkts ts, pkts tc, bytes ts, bytes tc
    for p, d in pkts:
        c[d] += 1
        c[2 + d] += p.length
    return c


def eve_us(ts):
    """EVE time -> epoch microseconds; None when absent."""
    if not isinstance(ts, str):
        return None
    t = datetime.datetime.strptime(ts, "%Y-%m-%dT%H:%M:%S.%f%z")
    return (t - datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)) // \
        datetime.timedelta(microseconds=1)


def fmt_us(us):
    if us is None:
        return "(none)"
    return "%d.%06d" % (us // 1000000, us % 1000000)


def fmt_key(k):
    return "%s %s:%s -> %s:%s" % ({6: "TCP", 17: "UDP"}[k[0]], k[1], k[2], k[3], k[4])


def load_eve(path):
    """EVE flow records by key, in file order."""
    out = collections.defaultdict(list)
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                r = json.loads(line)
            except ValueError as e:
                raise ValueError("%s:%d: %s" % (path, n, e))
            if r.get("event_type") != "flow" or r.get("proto") not in PROTO:
                continue
            k = (PROTO[r["proto"]], ipaddress.ip_address(r["src_ip"]).compressed,
                 r.get("src_port"), ipaddress.ip_address(r["dest_ip"]).compressed,
                 r.get("dest_port"))
            out[k].append(r)
    return out


def load_nfdump(path):
    """nfdump records as dicts: key (proto, src, sp, dst, dp), pkts, bytes,
    first/last in ms."""
    with open(path, encoding="utf-8") as f:
        text = f.read().strip()
    if not text or "No matching flows" in text:
        return []
    out = []
    for r in json.loads(text):
        if r.get("type", "FLOW") != "FLOW":
            continue
        src = ipaddress.ip_address(r.get("src4_addr") or r.get("src6_addr")).compressed
        dst = ipaddress.ip_address(r.get("dst4_addr") or r.get("dst6_addr")).compressed
        out.append({"key": (int(r["proto"]), src, r.get("src_port", 0), dst, r.get("dst_port", 0)),
                    "pkts": r.get("in_packets", 0), "bytes": r.get("in_bytes", 0),
                    "first": nf_ms(r["first"]), "last": nf_ms(r["last"])})
    return out


def counters(rec):
    fl = rec.get("flow") or {}
    return [fl.get("pkts_toserver"), fl.get("pkts_toclient"), fl.get("bytes_toserver"),
            fl.get("bytes_toclient")]


def check_eve(flow, recs, reps, want_interim, prob):
    """(a): interim records at the predicted ticks with running totals,
    then one final record with the totals.  Returns the final record."""
    name = fmt_key(flow["key"])
    interim = [r for r in recs if (r.get("flow") or {}).get("reason") == "active"]
    final = [r for r in recs if (r.get("flow") or {}).get("reason") != "active"]
    if len(interim) != want_interim:
        prob.append("%s: %d interim EVE records, want %d" % (name, len(interim), want_interim))
    if len(reps) != want_interim:
        prob.append("%s: the capture's timing predicts %d interim reports, the check expects %d"
                    % (name, len(reps), want_interim))
    for i, (rec, (t, idx)) in enumerate(zip(interim, reps), 1):
        got_t = eve_us(rec["timestamp"])
        want = totals([(p, d) for p, d in flow["pkts"] if p.idx < idx])
        before = [p.ts for p, _ in flow["pkts"] if p.idx < idx]
        got_end = eve_us((rec.get("flow") or {}).get("end"))
        if got_t != t:
            prob.append("%s: interim %d at %s, predicted %s" % (name, i, fmt_us(got_t), fmt_us(t)))
        if got_end != before[-1]:
            prob.append("%s: interim %d flow.end %s, last packet before it %s"
                        % (name, i, fmt_us(got_end), fmt_us(before[-1])))
        if counters(rec) != want:
            prob.append("%s: interim %d counters %s, running totals at %s are %s"
                        % (name, i, counters(rec), fmt_us(t), want))
    if len(final) != 1:
        prob.append("%s: %d final (not \"active\") EVE records, want 1" % (name, len(final)))
        return None
    if recs[-1] is not final[0]:
        prob.append("%s: an interim EVE record follows the final one" % name)
    want = totals(flow["pkts"])
    if counters(final[0]) != want:
        prob.append("%s: final EVE counters %s, capture totals %s"
                    % (name, counters(final[0]), want))
    fl = final[0].get("flow") or {}
    span = (flow["pkts"][0][0].ts, flow["pkts"][-1][0].ts)
    got = (eve_us(fl.get("start")), eve_us(fl.get("end")))
    if got != span:
        prob.append("%s: final EVE start/end %s/%s, packets %s/%s"
                    % (name, fmt_us(got[0]), fmt_us(got[1]), fmt_us(span[0]), fmt_us(span[1])))
    return final[0]


def predicted_records(flow, reps):
    """Per direction, the records the export should carry: one per
    interval (between reports, the last up to the end) with packets in
    that direction."""
    cuts = [idx for _, idx in reps] + [None]
    out, lo = ([], []), -1
    for hi in cuts:
        iv = [(p, d) for p, d in flow["pkts"] if p.idx >= lo and (hi is None or p.idx < hi)]
        lo = hi
        if not iv:
            continue
        first, last = iv[0][0].ts // 1000, iv[-1][0].ts // 1000
        for d in (0, 1):
            sel = [p for p, dd in iv if dd == d]
            if sel:
                out[d].append({"pkts": len(sel), "bytes": sum(p.length for p in sel),
                               "first": first, "last": last})
    return out


def check_export(flow, final, nf, want_records, prob):
    """(b) and (c) for one flow; takes its records out of nf."""
    name = fmt_key(flow["key"])
    proto, c, cp, s, sp = flow["key"]
    keys = ((proto, c, cp, s, sp), (proto, s, sp, c, cp))
    pred = predicted_records(flow, flow["reps"])
    fin = counters(final) if final is not None else totals(flow["pkts"])
    mine = [r for r in nf if r["key"] in keys]
    for r in mine:
        nf.remove(r)
    span = (flow["pkts"][0][0].ts // 1000, flow["pkts"][-1][0].ts // 1000)
    if mine and (min(r["first"] for r in mine), max(r["last"] for r in mine)) != span:
        prob.append("%s: records cover [%d, %d] ms, the packets [%d, %d]"
                    % (name, min(r["first"] for r in mine), max(r["last"] for r in mine),
                       span[0], span[1]))
    for d, side in ((0, "to-server"), (1, "to-client")):
        got = sorted((r for r in mine if r["key"] == keys[d]), key=lambda r: r["first"])
        what = "%s %s" % (name, side)
        if len(got) != want_records[d]:
            prob.append("%s: %d nfdump records, want %d" % (what, len(got), want_records[d]))
        if len(pred[d]) != want_records[d]:
            prob.append("%s: the capture's timing predicts %d records, the check expects %d"
                        % (what, len(pred[d]), want_records[d]))
        n_p, n_b = sum(r["pkts"] for r in got), sum(r["bytes"] for r in got)
        if (n_p, n_b) != (fin[d], fin[2 + d]):
            prob.append("%s: records sum to %d packets %d bytes, the EVE final record %d and %d"
                        % (what, n_p, n_b, fin[d], fin[2 + d]))
        for x, y in zip(got, got[1:]):
            if y["first"] <= x["last"]:
                prob.append("%s: records [%d, %d] and [%d, %d] ms overlap"
                            % (what, x["first"], x["last"], y["first"], y["last"]))
        out = [p.ts // 1000 for p, dd in flow["pkts"]
               if dd == d and not any(r["first"] <= p.ts // 1000 <= r["last"] for r in got)]
        if out:
            prob.append("%s: %d packets outside every record's time range, the first at %d ms"
                        % (what, len(out), out[0]))
        for i, (r, w) in enumerate(zip(got, pred[d]), 1):
            g = {k: r[k] for k in ("pkts", "bytes", "first", "last")}
            if g != w:
                prob.append("%s: record %d is %s, predicted %s" % (what, i, g, w))
    return mine


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pcap", required=True)
    ap.add_argument("--eve", required=True)
    ap.add_argument("--nfdump", required=True)
    ap.add_argument("--active-timeout", type=int, required=True, metavar="S")
    ap.add_argument("--interim", required=True, help="N,N,...: interim EVE records per flow")
    ap.add_argument("--records", required=True,
                    help="N[/M],...: export records per flow (to-server[/to-client])")
    ap.add_argument("--verbose", action="store_true")
    a = ap.parse_args()
    try:
        want_interim = [int(x) for x in a.interim.split(",")]
        want_records = []
        for x in a.records.split(","):
            ts, _, tc = x.partition("/")
            want_records.append((int(ts), int(tc or ts)))
        pkts, all_ts = read_pcap(a.pcap)
        eve = load_eve(a.eve)
        nf = load_nfdump(a.nfdump)
    except (OSError, ValueError, KeyError) as e:
        print("nfactive: %s" % e)
        return 2
    flows = build_flows(pkts)
    prob = []
    if len(flows) != len(want_interim) or len(flows) != len(want_records):
        print("nfactive: the capture has %d TCP/UDP flows, --interim/--records name %d/%d"
              % (len(flows), len(want_interim), len(want_records)))
        return 2
    tick_list = ticks(all_ts)
    timeout_us = a.active_timeout * 1000000
    n_nf = len(nf)
    summary = []
    for f, wi, wr in zip(flows, want_interim, want_records):
        recs = eve.pop(f["key"], [])
        # Reports stop where the flow ended: its last record's time; a
        # shutdown comes after that moment's tick, a timeout is that tick.
        end_us, incl = all_ts[-1][1], True
        if recs:
            end_us = eve_us(recs[-1].get("timestamp")) or end_us
            incl = (recs[-1].get("flow") or {}).get("reason") == "shutdown"
        f["reps"] = predict(f, tick_list, timeout_us, end_us, incl)
        final = check_eve(f, recs, f["reps"], wi, prob)
        mine = check_export(f, final, nf, wr, prob)
        summary.append("%s %d interim, %d+%d records" % (fmt_key(f["key"]), wi, wr[0], wr[1]))
        if a.verbose:
            for t, _ in f["reps"]:
                print("  %s: report at %s" % (fmt_key(f["key"]), fmt_us(t)))
            for r in sorted(mine, key=lambda r: (r["first"], r["key"])):
                print("  nfdump %s pkts %d bytes %d first %d last %d"
                      % (fmt_key(r["key"]), r["pkts"], r["bytes"], r["first"], r["last"]))
    for k, recs in eve.items():
        prob.append("EVE flow %s is not in the capture" % fmt_key(k))
    for r in nf:
        prob.append("unexpected nfdump record %s pkts %d bytes %d"
                    % (fmt_key(r["key"]), r["pkts"], r["bytes"]))
    if prob:
        print("%d problems:" % len(prob))
        for p in prob:
            print("  " + p)
        return 1
    print("ok: %d records; %s" % (n_nf, "; ".join(summary)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
