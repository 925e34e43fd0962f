#!/usr/bin/env bash
# Tests for tools/sv-run and tools/run-conformance, using a fake sensor
# (tests/conformance/fixtures/fake-sensor) and hand-made suricata-verify
# style tests (tests/conformance/fixtures/sv/*).  Exit 0 if all assertions
# hold, 1 otherwise.
set -u -o pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
SVRUN="$ROOT/tools/sv-run"
RUNCONF="$ROOT/tools/run-conformance"
FAKE="$HERE/fixtures/fake-sensor"
FIX="$HERE/fixtures/sv"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/test_sv_run.XXXXXX")
trap 'rm -rf -- "$TMP"' EXIT

failures=0
checks=0
ok()   { checks=$((checks + 1)); }
bad()  { checks=$((checks + 1)); failures=$((failures + 1)); echo "not ok: $*"; }
expect_eq() {  # what expected actual
    if [ "$2" == "$3" ]; then ok; else bad "$1: expected [$2], got [$3]"; fi
}
expect_grep() {  # what pattern file
    if grep -qxF -- "$2" "$3"; then ok; else bad "$1: no line [$2] in output"; fi
}

# ---------------------------------------------------------------- sv-run
out="$TMP/out"
"$SVRUN" --sensor "$FAKE" --out "$out" --jobs 4 --timeout 3 "$FIX" >"$TMP/run.txt" 2>&1
expect_eq "sv-run exit status with failures" 1 "$?"

cat >"$TMP/want.txt" <<'EOF'
FAIL bad-json: invalid JSON line 2
FAIL count-fail: filter #2: count 0, expected 1
FAIL exit-code-bad: exit code 1, expected 0 (fatal: canned failure)
FAIL requires-unknown: unknown requires key 'frobnicate'
FAIL startswith-missing: filter #2: http.hostname.__startswith raised: http.hostname is missing
FAIL stats-fail: stats #2: stats.decoder.pkts is 3, expected 4
FAIL timeout: timeout
PASS exit-code-ok
PASS fastlog-count
PASS nested-pass
PASS ops-pass
PASS rules-min
SKIP check-requires-skip: no check could be run (2 skipped)
SKIP command-skip: command: tests are not supported
SKIP no-pcap: no pcap
SKIP requires-features: requires features HAVE_LUA (not available for this engine)
SKIP requires-skip: requires at least version 9
SKIP skip-config: fast enabled
EOF
grep -E '^(PASS|FAIL|SKIP) ' "$TMP/run.txt" | sort >"$TMP/got.txt"
if diff -u "$TMP/want.txt" "$TMP/got.txt" >"$TMP/diff.txt"; then
    ok
else
    bad "per-test result lines differ:"
    cat "$TMP/diff.txt"
fi
expect_eq "second-to-last line" "6 skipped" "$(tail -n 2 "$TMP/run.txt" | head -n 1)"
expect_eq "last line" "5 passed, 7 failed" "$(tail -n 1 "$TMP/run.txt")"
expect_eq "first line" "output: $out" "$(head -n 1 "$TMP/run.txt")"
expect_grep "unknown check type note" \
    "    note: ops-pass: unknown check type 'frobnicate' (check #30) ignored" "$TMP/run.txt"

# Output left for other scorers.
for f in ops-pass/eve.json ops-pass/sensor.log ops-pass/test.rules results.tsv; do
    if [ -s "$out/$f" ]; then ok; else bad "missing output file $f"; fi
done
expect_eq "results.tsv rows" 18 "$(wc -l <"$out/results.tsv" | tr -d ' ')"
expect_grep "results.tsv row" "$(printf 'stats-fail\tFAIL\tstats #2: stats.decoder.pkts is 3, expected 4')" \
    "$out/results.tsv"
# The timed-out fake sensor must be gone.
if pgrep -f "fake-sensor .*-l $out/timeout " >/dev/null 2>&1; then
    bad "timed-out sensor still running"
else
    ok
fi

# --verbose prints the command line.
"$SVRUN" --sensor "$FAKE" --out "$TMP/out2" --verbose "$FIX/ops-pass" "$FIX/rules-min" \
    >"$TMP/run2.txt" 2>&1
expect_eq "sv-run exit status without failures" 0 "$?"
expect_eq "all-pass last line" "2 passed, 0 failed" "$(tail -n 1 "$TMP/run2.txt")"
expect_eq "all-pass skipped line" "0 skipped" "$(tail -n 2 "$TMP/run2.txt" | head -n 1)"
expect_grep "verbose command line" \
    "    command: $FAKE -k none --set a.b=c -l $TMP/out2/ops-pass -c $ROOT/tools/sv-default.yaml -r $FIX/ops-pass/input.pcap -S $TMP/out2/ops-pass/test.rules" \
    "$TMP/run2.txt"

# A missing sensor is a usage error.
"$SVRUN" --sensor "$TMP/no-such-sensor" --out "$TMP/out3" "$FIX/ops-pass" >/dev/null 2>&1
expect_eq "missing sensor exit status" 2 "$?"

# The default config keeps Suricata's list layout.
layout=$(/usr/bin/python3 - "$ROOT/tools/sv-default.yaml" <<'EOF'
import sys, yaml
y = yaml.safe_load(open(sys.argv[1]))
o = y["outputs"]
t = o[1]["eve-log"]["types"]
names = [list(x)[0] if isinstance(x, dict) else x for x in t]
print(list(o[0])[0], list(o[1])[0], ",".join(names[:8]),
      t[2]["anomaly"]["types"], "netflow" in names, "flow" in names,
      y["vars"]["address-groups"]["HOME_NET"])
EOF
)
expect_eq "sv-default.yaml layout" \
    "fast eve-log alert,frame,anomaly,http,dns,tls,files,smtp {'decode': False, 'stream': False, 'applayer': True} False True [192.168.0.0/16,10.0.0.0/8,172.16.0.0/12]" \
    "$layout"

# ------------------------------------------------------- run-conformance
printf '# header\nops-pass\nrules-min   # trailing comment\n\n' >"$TMP/list-ok.txt"
"$RUNCONF" --sensor "$FAKE" --timeout 3 --out "$TMP/b1" --corpus "$FIX" --expected "$TMP/list-ok.txt" \
    >"$TMP/rc1.txt" 2>&1
expect_eq "ratchet ok exit status" 0 "$?"
expect_eq "ratchet ok summary" \
    "conformance: 5 passed, 7 failed, 6 skipped; ratchet 2/2 ok (details: $TMP/b1/conformance/sv-run.log)" \
    "$(tail -n 1 "$TMP/rc1.txt")"
expect_grep "newly passing" \
    "conformance: newly passing: nested-pass (add it to $TMP/list-ok.txt)" "$TMP/rc1.txt"
expect_eq "newly passing count" 3 "$(grep -c 'newly passing' "$TMP/rc1.txt")"

printf 'ops-pass\ncount-fail\nno-such-test\n' >"$TMP/list-bad.txt"
"$RUNCONF" --sensor "$FAKE" --timeout 3 --out "$TMP/b2" --corpus "$FIX" --expected "$TMP/list-bad.txt" \
    >"$TMP/rc2.txt" 2>&1
expect_eq "ratchet failure exit status" 1 "$?"
expect_grep "regression line" \
    "conformance: REGRESSION: count-fail: FAIL: filter #2: count 0, expected 1" "$TMP/rc2.txt"
expect_grep "missing test line" \
    "conformance: REGRESSION: no-such-test is listed in $TMP/list-bad.txt but is not in the corpus" \
    "$TMP/rc2.txt"
expect_eq "ratchet failure summary" \
    "conformance: 5 passed, 7 failed, 6 skipped; ratchet 1/3 FAILED (details: $TMP/b2/conformance/sv-run.log)" \
    "$(tail -n 1 "$TMP/rc2.txt")"

# Without ../shared/pcaps/suricata-verify next to the repo: skipped, exit 0.
mkdir -p "$TMP/repo/tools"
cp "$RUNCONF" "$SVRUN" "$ROOT/tools/sv-default.yaml" "$TMP/repo/tools/"
"$TMP/repo/tools/run-conformance" --sensor "$FAKE" >"$TMP/rc3.txt" 2>&1
expect_eq "no corpus exit status" 0 "$?"
expect_eq "no corpus message" \
    "conformance: ../shared/pcaps/suricata-verify not found, skipped" "$(cat "$TMP/rc3.txt")"

if [ "$failures" -eq 0 ]; then
    echo "test_sv_run: all $checks checks passed"
    exit 0
fi
echo "test_sv_run: $failures of $checks checks FAILED"
exit 1
