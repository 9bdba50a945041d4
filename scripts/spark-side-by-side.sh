#!/usr/bin/env bash
# Throughput of `glimpse caption` and `glimpse-spark caption` (embedded, local[*]) on the same folder
# with the same model and beam, in one run, interleaved (caption, spark, caption, spark, ...): each
# round captions the whole folder into a fresh output with each tool. Prints each run's wall time
# (JVM start, model load and writing included) and the medians. Both jars are built before the first
# round, so no build is timed.
#
# Usage: scripts/spark-side-by-side.sh IMAGES_DIR [--model M.zip] [--beam K] [--rounds R]
#   IMAGES_DIR e.g. from `glimpse synth --count 500 --seed 7 --out DIR` (its DIR/images)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
images=${1:?usage: scripts/spark-side-by-side.sh IMAGES_DIR [--model M.zip] [--beam K] [--rounds R]}
shift
model="$root/pretrained/glimpse-shapes.zip"
beam=3
rounds=2
while [ $# -gt 0 ]; do
  case "$1" in
    --model) model=$2; shift 2 ;;
    --beam) beam=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    *) echo "spark-side-by-side: unknown option $1" >&2; exit 2 ;;
  esac
done
out=$(mktemp -d)
count=$(find "$images" -type f | wc -l)
"$root/scripts/glimpse" --version > /dev/null                        # builds glimpse.jar if needed
"$root/scripts/glimpse-spark" --help > /dev/null                    # builds glimpse-spark.jar if needed

timed() {  # TIMES_FILE STDOUT_FILE STDERR_FILE COMMAND...: runs it, appends its wall seconds
  local times=$1 stdout=$2 stderr=$3 start
  shift 3
  start=$(date +%s.%N)
  "$@" > "$stdout" 2> "$stderr"
  echo "$(date +%s.%N) - $start" | bc >> "$times"
}
for r in $(seq 1 "$rounds"); do
  echo "round $r of $rounds: glimpse caption" >&2
  timed "$out/caption.times" "$out/c$r.txt" "$out/c$r.err" \
    "$root/scripts/glimpse" caption --model "$model" --beam "$beam" "$images" --json "$out/c$r.json"
  echo "round $r of $rounds: glimpse-spark caption" >&2
  timed "$out/spark.times" "$out/s$r.txt" "$out/s$r.err" \
    "$root/scripts/glimpse-spark" caption --model "$model" --beam "$beam" --images "$images" --out "$out/s$r"
done

/usr/bin/python3 - "$out" "$count" <<'EOF'
import json, statistics, sys
out, count = sys.argv[1], int(sys.argv[2])
c = [float(x) for x in open(f"{out}/caption.times")]
s = [float(x) for x in open(f"{out}/spark.times")]
same = all(json.load(open(f"{out}/c{r}.json")) == json.load(open(f"{out}/s{r}/results.json")) for r in range(1, len(c) + 1))
print(f"{count} images; wall seconds per run, JVM start and model load included; {len(c)} rounds interleaved")
print(f"glimpse caption        runs {', '.join(f'{x:.1f}' for x in c)}  median {statistics.median(c):.1f} s = {count / statistics.median(c):.1f} images/s")
print(f"glimpse-spark caption  runs {', '.join(f'{x:.1f}' for x in s)}  median {statistics.median(s):.1f} s = {count / statistics.median(s):.1f} images/s")
print(f"spark / caption: {statistics.median(s) / statistics.median(c):.2f}; results files equal: {same}")
print(f"raw: {out}")
EOF
