#!/usr/bin/env bash
# The recipe for MS COCO 2014 with Karpathy's split and a frozen ImageNet encoder.
#
# What you bring (nothing is downloaded):
#   COCO_DIR    the folder holding train2014/ and val2014/ (the COCO 2014 images)
#   KARPATHY    dataset_coco.json from Karpathy's caption_datasets.zip
#   WEIGHTS     ImageNet weights: a DL4J zoo VGG16 or ResNet-50 zip, or a Keras .h5
#               (e.g. vgg16_weights_tf_dim_ordering_tf_kernels.h5)
# Optional: ENCODER (vgg16 | resnet50, default vgg16), OUT (default work/coco), METEOR_JAR.
#
# Steps: check the data, cache the encoder's features once (the slow part on a CPU: VGG16 at 224 px
# is a few images per second here; a GPU build is a later addition), train the decoder on the cached
# features, then caption and score the Karpathy test split with BLEU, ROUGE-L and CIDEr-D (and
# METEOR if its jar is given).
#
# Usage: COCO_DIR=... KARPATHY=... WEIGHTS=... scripts/train-coco.sh
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
glimpse="$root/scripts/glimpse"
: "${COCO_DIR:?set COCO_DIR to the folder with train2014/ and val2014/}"
: "${KARPATHY:?set KARPATHY to dataset_coco.json}"
: "${WEIGHTS:?set WEIGHTS to the encoder weights file}"
encoder=${ENCODER:-vgg16}
out=${OUT:-$root/work/coco}
mkdir -p "$out"

"$glimpse" vocab --captions "$KARPATHY" --images "$COCO_DIR" --min-freq 5 --truncate 20 --json "$out/vocab.json"

checkpoint="$out/glimpse-coco-$encoder.checkpoint.zip"
if [ -f "$checkpoint" ]; then   # a run that stopped: continue it exactly
  "$glimpse" train --captions "$KARPATHY" --images "$COCO_DIR" --encoder-weights "$WEIGHTS" \
    --feature-cache "$out/features" --model "$out/glimpse-coco-$encoder.zip" --resume "$checkpoint"
else
  "$glimpse" train --captions "$KARPATHY" --images "$COCO_DIR" --encoder "$encoder" --encoder-weights "$WEIGHTS" \
    --feature-cache "$out/features" --model "$out/glimpse-coco-$encoder.zip" \
    --epochs 20 --batch-size 64 --lr 4e-4 --min-freq 5 --truncate 20 \
    --embed-dim 512 --hidden-dim 512 --attention-dim 512 --dropout 0.5 --val-images 5000
fi

meteor=()
if [ -n "${METEOR_JAR:-}" ]; then meteor=(--meteor-jar "$METEOR_JAR"); fi
"$glimpse" evaluate --model "$out/glimpse-coco-$encoder.zip" --encoder-weights "$WEIGHTS" \
  --captions "$KARPATHY" --images "$COCO_DIR" --split test --beam 3 ${meteor[@]+"${meteor[@]}"} --out "$out/eval-test"
