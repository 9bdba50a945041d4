#!/usr/bin/env bash
# Training speed of the shapes demo's recipe in Glimpse and in PyTorch (scripts/shapes_reference.py), in
# one run, interleaved (Glimpse, PyTorch, Glimpse, PyTorch, ...): the same data, model and recipe
# (word loss 1, dropout 0.3, lambda 0.01, Adam 1e-3 clipped to 5, batches of 32 captions grouped by
# image and length), captioning steps only (no warm-up). Each side counts only the time of its training
# steps (Glimpse: the step times in its CSV log; PyTorch: its own clock), not start-up or evaluation.
#
# Usage: scripts/shapes-side-by-side.sh DATA_DIR [--rounds R] [--steps N] [--minutes M]
#   DATA_DIR from `glimpse synth --variant shapes --images 3000 --seed 1 --out DATA_DIR`; N captioning
#   steps per Glimpse round (default 600), M minutes per PyTorch round (default 1.5).
# Needs Debian's PyTorch: apt-get install python3-torch python3-numpy python3-pil libopenblas0-openmp
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
data=${1:?usage: scripts/shapes-side-by-side.sh DATA_DIR [--rounds R] [--steps N] [--minutes M]}
shift
rounds=2
steps=600
minutes=1.5
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --steps) steps=$2; shift 2 ;;
    --minutes) minutes=$2; shift 2 ;;
    *) echo "shapes-side-by-side: unknown option $1" >&2; exit 2 ;;
  esac
done
out=$(mktemp -d)
threads=${OMP_NUM_THREADS:-$(nproc)}
export OMP_NUM_THREADS=$threads OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-PASSIVE}

for r in $(seq 1 "$rounds"); do
  echo "round $r of $rounds: glimpse ($steps steps)" >&2
  "$root/scripts/glimpse" train --captions "$data/dataset.json" --images "$data/images" --model "$out/g$r/m.zip" \
    --epochs 100 --max-steps "$steps" --lr 1e-3 --truncate 24 --val-images 0 --alpha-c 0.01 --seed "$r" \
    --word-loss 1 > "$out/g$r.txt" 2>&1
  echo "round $r of $rounds: pytorch ($minutes min)" >&2
  LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH} \
    /usr/bin/python3 "$root/scripts/shapes_reference.py" "$data" --out "$out/p$r" --minutes "$minutes" \
    --warmup-steps 0 --eval-every 1000 --threads "$threads" --seed "$r" > "$out/p$r.txt" 2>&1
done

/usr/bin/python3 - "$out" "$rounds" <<'EOF'
import csv, glob, re, statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])
g, p = [], []
for r in range(1, rounds + 1):
    rows = [row for row in csv.DictReader(open(glob.glob(f"{out}/g{r}/*.log.csv")[0])) if row["kind"] == "step"]
    seconds = sum(32 / float(row["images_per_s"]) for row in rows[1:])   # the first step sizes buffers
    g.append((len(rows) - 1) / seconds)
    m = re.search(r"(\d+) captioning steps in (\d+) s \(([0-9.]+) per s", open(f"{out}/p{r}.txt").read())
    p.append(float(m.group(3)))
print("captioning steps per second, by round: glimpse " + ", ".join(f"{x:.2f}" for x in g)
      + "; pytorch " + ", ".join(f"{x:.2f}" for x in p))
print(f"medians: glimpse {statistics.median(g):.2f}, pytorch {statistics.median(p):.2f}, "
      f"ratio {statistics.median(g) / statistics.median(p):.2f}")
EOF
echo "raw results: $out" >&2
