#!/bin/bash
# Command-line behaviour of the sensor: exit codes and one-line reasons.
#
#   tests/e2e/test_cli.sh SENSOR [WORKDIR]
#
# Prints "ok <check>" or "not ok <check>: <why>" per check and exits 1 if
# any check failed.  tools/run-e2e runs it as one case.  WORKDIR (default a
# fresh temporary directory, removed afterwards) receives the scratch files.
set -u

if [ $# -lt 1 ]; then
    echo "usage: $0 SENSOR [WORKDIR]" >&2
    exit 2
fi
sensor=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
config=$root/tests/e2e/e2e.yaml
pcap=$root/pcaps/tcp/tcp-basic.pcap
expect=$root/pcaps/tcp/tcp-basic.expect.json
py=/usr/bin/python3
timeout=60

if [ $# -ge 2 ]; then
    work=$2
    mkdir -p "$work"
else
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
fi

failures=0
ok() { echo "ok $1"; }
not_ok() {
    echo "not ok $1: $2"
    failures=$((failures + 1))
}

# run NAME ARGS...: runs the sensor, leaving $rc, $work/NAME.out, NAME.err
run() {
    local name=$1
    shift
    timeout "$timeout" "$sensor" "$@" >"$work/$name.out" 2>"$work/$name.err" </dev/null
    rc=$?
}

first_line() { head -n 1 "$1" | cut -c 1-160; }

# 1. A capture that does not exist: non-zero, and the path is named.
missing=$work/no/such/dir/missing-capture.pcap
mkdir -p "$work/missing.log"
run missing -r "$missing" -l "$work/missing.log" -c "$config" -k none
if [ "$rc" -eq 0 ]; then
    not_ok "missing pcap" "exit 0"
elif ! grep -qF "$missing" "$work/missing.err"; then
    not_ok "missing pcap" "exit $rc but stderr does not name $missing: $(first_line "$work/missing.err")"
else
    ok "missing pcap (exit $rc)"
fi

# 2. A text file given as a capture: non-zero.
printf 'this is not a capture file\njust text\n' >"$work/text.pcap"
mkdir -p "$work/text.log"
run text -r "$work/text.pcap" -l "$work/text.log" -c "$config" -k none
if [ "$rc" -eq 0 ]; then
    not_ok "text file as pcap" "exit 0"
elif [ ! -s "$work/text.err" ]; then
    not_ok "text file as pcap" "exit $rc with nothing on stderr"
else
    ok "text file as pcap (exit $rc)"
fi

# 3. A configuration with a value of the wrong type: non-zero, key named.
cat >"$work/bad.yaml" <<'EOF'
%YAML 1.1
---
outputs:
  - eve-log:
      enabled: yes
      filename: eve.json
      types:
        - flow
stream:
  midstream: maybe
EOF
mkdir -p "$work/badcfg.log"
run badcfg -r "$pcap" -l "$work/badcfg.log" -c "$work/bad.yaml" -k none
if [ "$rc" -eq 0 ]; then
    not_ok "bad config" "exit 0 with stream.midstream: maybe"
elif ! grep -qF "stream.midstream" "$work/badcfg.err"; then
    not_ok "bad config" "exit $rc but stderr does not name stream.midstream: $(first_line "$work/badcfg.err")"
else
    ok "bad config (exit $rc)"
fi

# 4. A capture cut in the middle of its last packet: exit 0, a warning, and
# the flows seen before the cut still logged.
cut_at=$("$py" - "$pcap" <<'EOF'
import struct, sys
data = open(sys.argv[1], "rb").read()
endian = "<" if data[:4] == b"\xd4\xc3\xb2\xa1" else ">"
off, last = 24, None
while off + 16 <= len(data):
    caplen = struct.unpack(endian + "I", data[off + 8:off + 12])[0]
    last = (off, caplen)
    off += 16 + caplen
print(last[0] + 16 + last[1] // 2)
EOF
)
head -c "$cut_at" "$pcap" >"$work/cut.pcap"
mkdir -p "$work/cut.log"
run cut -r "$work/cut.pcap" -l "$work/cut.log" -c "$config" -k none
if [ "$rc" -ne 0 ]; then
    not_ok "pcap cut mid-packet" "exit $rc: $(first_line "$work/cut.err")"
elif ! grep -qiE 'warn|trunc' "$work/cut.err"; then
    not_ok "pcap cut mid-packet" "exit 0 but no warning on stderr"
else
    # The first flow of tcp-basic ends well before the cut: it must be there
    # with its full counters; the others must at least be there.
    why=$("$py" - "$expect" "$work/cut.log/eve.json" <<'EOF'
import ipaddress, json, sys
exp = json.load(open(sys.argv[1]))["flows"]
def ip(a):
    try:
        return ipaddress.ip_address(a).compressed
    except ValueError:
        return a
try:
    recs = [json.loads(l) for l in open(sys.argv[2]) if l.strip()]
except (OSError, ValueError) as e:
    print("eve.json unreadable: %s" % e)
    sys.exit(0)
flows = [r for r in recs if r.get("event_type") == "flow"]
key = lambda r: (r.get("proto"), ip(r.get("src_ip")), r.get("src_port"), ip(r.get("dest_ip")),
                 r.get("dest_port"))
for i, e in enumerate(exp):
    got = [f for f in flows if key(f) == key(e)]
    if not got:
        print("flow %s %s -> %s missing" % (e["proto"], e["src_ip"], e["dest_ip"]))
        break
    c = ("pkts_toserver", "pkts_toclient", "bytes_toserver", "bytes_toclient")
    if i == 0 and any(got[0]["flow"].get(k) != e[k] for k in c):
        print("flow %s %s -> %s counters %s, want %s" % (e["proto"], e["src_ip"], e["dest_ip"],
              [got[0]["flow"].get(k) for k in c], [e[k] for k in c]))
        break
EOF
)
    if [ -n "$why" ]; then
        not_ok "pcap cut mid-packet" "$why"
    else
        ok "pcap cut mid-packet (warning: $(grep -iE -m1 'warn|trunc' "$work/cut.err" | cut -c 1-100))"
    fi
fi

# 5. --help and --version: exit 0 and say something.
for opt in --help --version; do
    run "opt$opt" "$opt"
    if [ "$rc" -ne 0 ]; then
        not_ok "$opt" "exit $rc"
    elif [ ! -s "$work/opt$opt.out" ] && [ ! -s "$work/opt$opt.err" ]; then
        not_ok "$opt" "exit 0 but printed nothing"
    else
        ok "$opt"
    fi
done

# 6. A host-os-policy network that is not one: non-zero, file, line, key and value named.
printf '%%YAML 1.1\n---\nhost-os-policy:\n  windows: [0.0.0.0/0]\n  linux: [10.0.0.0/40]\n' \
    >"$work/policy.yaml"
run policy -r "$pcap" -l "$work" -c "$work/policy.yaml" -k none
if [ "$rc" -eq 0 ]; then
    not_ok "bad host-os-policy" "exit 0"
elif ! grep -qF "policy.yaml:5: key 'host-os-policy.linux': '10.0.0.0/40': bad prefix length" \
    "$work/policy.err"; then
    not_ok "bad host-os-policy" "exit $rc, stderr: $(first_line "$work/policy.err")"
else
    ok "bad host-os-policy (exit $rc)"
fi

# 7. --test-rules: each bad rule as FILE:LINE: reason, the summary, the exit status;
#    the shipped rule set loads clean; a -S file that cannot be read stops the run.
printf '%s\n' 'alert tcp any any -> any any (msg:"ok"; content:"x"; sid:1;)' \
    'alert tcp any any -> any any (msg:"bad"; frob; sid:2;)' >"$work/mixed.rules"
run rules_bad --test-rules -S "$work/mixed.rules"
if [ "$rc" -eq 0 ]; then
    not_ok "--test-rules bad rule" "exit 0"
elif ! grep -qF "mixed.rules:2: unsupported keyword 'frob'" "$work/rules_bad.err"; then
    not_ok "--test-rules bad rule" "stderr: $(first_line "$work/rules_bad.err")"
elif ! grep -qF "1 rules loaded, 1 failed" "$work/rules_bad.out"; then
    not_ok "--test-rules bad rule" "stdout: $(first_line "$work/rules_bad.out")"
else
    ok "--test-rules bad rule (exit $rc)"
fi
run rules_ok --test-rules -S "$root/signatures/rules/local.rules"
if [ "$rc" -ne 0 ] || ! grep -qE "^[1-9][0-9]* rules loaded, 0 failed" "$work/rules_ok.out"; then
    not_ok "--test-rules local.rules" "exit $rc: $(first_line "$work/rules_ok.out")"
else
    ok "--test-rules local.rules"
fi
run rules_missing -r "$pcap" -l "$work" -c "$config" -S "$work/no-such.rules"
if [ "$rc" -eq 0 ]; then
    not_ok "missing rule file" "exit 0"
elif ! grep -qF "$work/no-such.rules" "$work/rules_missing.err"; then
    not_ok "missing rule file" "exit $rc, stderr: $(first_line "$work/rules_missing.err")"
else
    ok "missing rule file (exit $rc)"
fi

[ "$failures" -eq 0 ]
