#!/usr/bin/env bash
# The README's main job: builds Glimpse if needed, captions the sample images with the shipped demo
# model, and writes attention overlays for each of them. Usage: scripts/demo.sh [OUT_DIR]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
glimpse="$root/scripts/glimpse"
out=${1:-$root/work/demo-overlays}
model="$root/pretrained/glimpse-shapes.zip"
samples="$root/datasets/samples"

echo "== captions by $(basename "$model") (beam 3)"
"$glimpse" caption --model "$model" --beam 3 "$samples"/shapes_*.png
echo
echo "== the dog/wolf model: trained where wolves stand on snow"
"$glimpse" caption --model "$root/pretrained/glimpse-snow.zip" --beam 3 "$samples"/snow_*.png
echo
# one run per model: each image gets its own folder, $out/NAME
"$glimpse" explain --model "$model" --beam 3 "$samples"/shapes_*.png --out "$out"
"$glimpse" explain --model "$root/pretrained/glimpse-snow.zip" --beam 3 --scale uniform "$samples"/snow_*.png --out "$out"
echo
echo "open $out/*/index.html in a browser to see where the model looked for each word"
