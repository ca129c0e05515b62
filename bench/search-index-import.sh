#!/usr/bin/env bash
# Import speed with and without a running node whose console search indexer follows the import, and the
# indexer's catch-up after the import (wall time, and the node process's CPU time from /proc).
# usage: bench/search-index-import.sh VIGIE_JAR BUNDLE_FILE WORK_DIR
# The bundle is made once by `java -jar VIGIE_JAR generate --objects 1000000 --seed 7 -o BUNDLE_FILE`.
# WORK_DIR is deleted and made anew; the node listens on a free port of 127.0.0.1 only.
set -euo pipefail
jar=$(realpath "$1"); bundle=$(realpath "$2"); work=$3
collection=11111111-2222-4333-8444-555555555555
rm -rf "$work"; mkdir -p "$work"; work=$(realpath "$work")
ticks=$(getconf CLK_TCK)
cpu_seconds() { awk -v t="$ticks" '{ printf "%.1f", ($14 + $15) / t }' "/proc/$1/stat"; }

echo "== import with no node running"
java -jar "$jar" collection add --data-dir "$work/alone" --title Benchmark --id $collection > /dev/null
start=$(date +%s.%N)
/usr/bin/time -f "import CPU: %U s user, %S s system" java -jar "$jar" import --data-dir "$work/alone" --collection $collection "$bundle" | tail -n 1
end=$(date +%s.%N)
echo "import alone: $(echo "$end - $start" | bc) s wall"

echo "== import while a node runs (its search indexer follows the store's event log)"
java -jar "$jar" collection add --data-dir "$work/live" --title Benchmark --id $collection > /dev/null
java -Xmx1g -jar "$jar" serve --data-dir "$work/live" --port 0 > "$work/serve.out" 2> "$work/serve.err" &
node=$!
trap 'kill $node 2> /dev/null || true' EXIT
for attempt in $(seq 1 600); do
    grep -q '^Password: ' "$work/serve.out" && break
    sleep 0.1
done
url=$(sed -n 's/^URL: //p' "$work/serve.out"); user=$(sed -n 's/^User: //p' "$work/serve.out"); password=$(sed -n 's/^Password: //p' "$work/serve.out")
behind() { curl -s -u "$user:$password" "${url%/}/metrics" | awk '/^vigie_console_search_index_behind_objects /{ printf "%d", $2 }'; }
until [ "$(behind)" = "0" ]; do sleep 0.2; done
cpu_before=$(cpu_seconds $node)
start=$(date +%s.%N)
/usr/bin/time -f "import CPU: %U s user, %S s system" java -jar "$jar" import --data-dir "$work/live" --collection $collection "$bundle" | tail -n 1
imported=$(date +%s.%N)
echo "import beside the node: $(echo "$imported - $start" | bc) s wall; index then $(behind) objects behind"
until [ "$(behind)" = "0" ]; do sleep 0.2; done
caught=$(date +%s.%N)
cpu_after=$(cpu_seconds $node)
echo "index current $(echo "$caught - $imported" | bc) s after the import ended ($(echo "$caught - $start" | bc) s after it began);" \
    "node process CPU from the import's start: $(echo "$cpu_after - $cpu_before" | bc) s"
ls -l "$work/live/search.db" "$work/live/vigie.db" | awk '{ print $5, $9 }'
kill $node; wait $node 2> /dev/null || true
