#!/bin/bash
# Self-test of tools/run-e2e: runs it against tests/e2e/fake_sensor.py, which
# writes the expected EVE output broken in one chosen way, and checks that
# every capture case passes when nothing is broken and fails, with the right
# reason, when something is.  Needs no real sensor.
#
#   tests/e2e/test_runner.sh
set -u

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
fake=tests/e2e/fake_sensor.py
failures=0

# mutation|substring every capture case's FAIL line must contain
# (an empty substring means every capture case must PASS)
cases=(
    "none|"
    "expanded-ipv6|"
    "zeros-omitted|"
    "badjson|is not JSON"
    "schema|schema"
    "counter|pkts_toserver"
    "missingflow|missing flow"
    "extraflow|unexpected flow"
    "swapped|swapped"
    "netflow|missing netflow"
    "netflow-bytes|netflow toserver"
    "anomaly|anomaly decoder.ipv4.pkt_too_small: 1, want 0"
    "dns|dns record"
    "stats|stats decoder.pkts"
    "nostats|no stats record"
    "flowid|flow_id"
    "communityid|community_id"
    "notimestamp|has no timestamp"
    "exit1|sensor exited 1"
)

for entry in "${cases[@]}"; do
    mutation=${entry%%|*}
    want=${entry#*|}
    out=$(FAKE_MUTATION=$mutation tools/run-e2e --sensor "$fake" 2>&1)
    rc=$?
    # Capture cases only: the CLI case needs a real sensor.
    lines=$(grep -E '^(PASS|FAIL) ' <<<"$out" | grep -v ' cli/test_cli.sh')
    if [ -z "$lines" ]; then
        echo "not ok $mutation: no case ran: $(tail -n 1 <<<"$out")"
        failures=$((failures + 1))
        continue
    fi
    bad=""
    if [ -z "$want" ]; then
        bad=$(grep -v '^PASS ' <<<"$lines" | head -n 1)
    else
        bad=$(grep -v -F -- "$want" <<<"$lines" | head -n 1)
        [ -z "$bad" ] && bad=$(grep '^PASS ' <<<"$lines" | head -n 1)
        [ -z "$bad" ] && [ "$rc" -ne 1 ] && bad="run-e2e exited $rc, want 1"
    fi
    if [ -n "$bad" ]; then
        echo "not ok $mutation: ${bad:0:200}"
        failures=$((failures + 1))
    else
        echo "ok $mutation ($(wc -l <<<"$lines") cases)"
    fi
done

if ! [ -f ../shared/eve/schema.json ]; then
    echo "note: ../shared/eve/schema.json absent, the schema mutation cannot be caught"
fi
echo "$failures failed"
[ "$failures" -eq 0 ]
