#!/usr/bin/env bash
# Times the decoder's work in Glimpse (`glimpse bench`) and in PyTorch (scripts/bench_reference.py) in one
# run, interleaved (Glimpse, PyTorch, Glimpse, PyTorch, ...), so that both see the same machine: each
# round runs each side once with --repeats timed runs after its warm-up. Prints each side's medians over
# all its timed runs and Glimpse's time as a fraction of PyTorch's.
#
# Usage: scripts/bench-side-by-side.sh [--rounds R] [--out DIR] [bench sizes: --grid N --feature-dim N ...
#        --batch-size N --words N --beam N --repeats N]
# Needs Debian's PyTorch and OpenBLAS with OpenMP:
#   apt-get install python3-torch python3-numpy libopenblas0-openmp
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
rounds=3
out=""
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done
[ -n "$out" ] || out=$(mktemp -d)
mkdir -p "$out"
threads=${OMP_NUM_THREADS:-$(nproc)}
export OMP_NUM_THREADS=$threads OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-PASSIVE}
openblas=/usr/lib/x86_64-linux-gnu/openblas-openmp
if ! /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  echo "bench-side-by-side: PyTorch is missing: apt-get install python3-torch python3-numpy libopenblas0-openmp" >&2
  exit 2
fi

for r in $(seq 1 "$rounds"); do
  echo "round $r of $rounds: glimpse" >&2
  "$root/scripts/glimpse" bench "${args[@]}" --json "$out/glimpse-$r.json" > "$out/glimpse-$r.txt" 2>/dev/null
  echo "round $r of $rounds: pytorch" >&2
  LD_LIBRARY_PATH=$openblas${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH} /usr/bin/python3 "$root/scripts/bench_reference.py" \
    "${args[@]}" --threads "$threads" --json "$out/pytorch-$r.json" > "$out/pytorch-$r.txt"
done

/usr/bin/python3 - "$out" "$rounds" <<'EOF'
import json, statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])
g = [json.load(open(f"{out}/glimpse-{r}.json")) for r in range(1, rounds + 1)]
p = [json.load(open(f"{out}/pytorch-{r}.json")) for r in range(1, rounds + 1)]
def pooled(runs, key):
    return statistics.median(x for run in runs for x in run["samples"][key])
s = p[0]["sizes"]
print(f"sizes: D={s['featureDim']} L={s['regions']} A={s['attentionDim']} m={s['embedDim']} H={s['hiddenDim']} "
      f"K={s['vocab']} B={s['batchSize']} T={s['words']} beam={s['beam']}; {rounds} rounds interleaved, "
      f"medians of all timed runs; PyTorch {p[0]['torch']} with {p[0]['threads']} threads")
print(f"{'':34s} {'glimpse':>10s} {'pytorch':>10s} {'glimpse/pytorch':>16s}")
for key, label, unit, scale in [("train", "training step", "s", 1), ("decode", "decode step", "ms", 1e3),
                                ("greedy", "greedy, one image", "ms", 1e3), ("beam", "beam, one image", "ms", 1e3)]:
    a, b = pooled(g, key), pooled(p, key)
    print(f"{label + ' (' + unit + ')':34s} {a * scale:10.3f} {b * scale:10.3f} {a / b:16.2f}")
gflop = g[0]["trainStepGflop"]
print(f"{'training GFLOP/s':34s} {gflop / pooled(g, 'train'):10.1f} {gflop / pooled(p, 'train'):10.1f}")
gm = max(run["peakRssMegabytesTraining"] for run in g)
pm = max(run["peakRssMegabytes"] for run in p)
print(f"{'peak resident MB (training)':34s} {gm:10.0f} {pm:10.0f} {gm / pm:16.2f}")
EOF
echo "raw results: $out" >&2
