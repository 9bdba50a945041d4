#!/usr/bin/python3
"""Trains the shapes demo's model and recipe in PyTorch, as a yardstick for Glimpse's own training.

The forward pass is parity_reference.py's (the one ParityTest checks Glimpse against), trained here
with the recipe of Glimpse's shapes demo (scripts/train-demo.sh plus --warmup-steps 600): the small
encoder (16, 32, 64, 128 channels, layer norm), embedding 128, LSTM 256, attention 128, dropout 0.3 on
the deep output, lambda 0.01, word detectors on max-pooled regions (weight 1), a warm-up of the encoder
and detectors alone, then Adam (lr 1e-3, global norm clipped to 5) on batches of 32 captions that hold
all captions of their images and are grouped by length. It stops after a fixed training time (its
evaluations not counted) and decodes the test split greedily at set times, scoring objects named with
their shape and colour as `glimpse evaluate --instances` does (the colour is the word right before the
shape's name).

What it is for: telling how much of the gap between Glimpse's training and a target comes from the
model and recipe, and how much from the speed of Glimpse's training step. It has no validation, no
learning-rate decay and no checkpoints.

Requirements: Debian's PyTorch (apt-get install python3-torch python3-numpy python3-pil
libopenblas0-openmp), run with /usr/bin/python3. Example, on data from `glimpse synth --variant shapes
--images 3000 --seed 1 --out shapes`:
    OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 scripts/shapes_reference.py shapes --minutes 30 --out ref
"""
import argparse
import collections
import json
import math
import os
import random
import time

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

from parity_reference import encode, forward, loss_terms

SHAPE_WORDS = ("square", "circle", "triangle", "star", "diamond", "hexagon")


def parse():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("data", help="folder written by glimpse synth (dataset.json, images/, annotations/)")
    p.add_argument("--out", required=True, help="folder for the log and the decoded test captions")
    p.add_argument("--minutes", type=float, default=30, help="training time, evaluations not counted")
    p.add_argument("--eval-every", type=float, default=5, help="minutes of training between test decodes")
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--warmup-steps", type=int, default=600)
    p.add_argument("--word-loss", type=float, default=1.0)
    p.add_argument("--alpha-c", type=float, default=0.01)
    p.add_argument("--dropout", type=float, default=0.3)
    p.add_argument("--max-length", type=int, default=24)
    p.add_argument("--min-freq", type=int, default=5)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--threads", type=int, default=os.cpu_count())
    return p.parse_args()


class Data:
    """Images (uint8, in memory), the vocabulary of the training captions and their word ids."""

    def __init__(self, folder, min_freq, max_length):
        self.records = json.load(open(os.path.join(folder, "dataset.json")))["images"]
        pixels = [np.asarray(Image.open(os.path.join(folder, "images", r["filename"])).convert("RGB"))
                  for r in self.records]
        self.images = torch.from_numpy(np.stack(pixels)).permute(0, 3, 1, 2).contiguous()  # [N, 3, S, S]
        self.train = [i for i, r in enumerate(self.records) if r["split"] == "train"]
        self.test = [i for i, r in enumerate(self.records) if r["split"] == "test"]
        counts = collections.Counter(w for i in self.train for s in self.records[i]["sentences"] for w in s["tokens"])
        self.words = ["<pad>", "<start>", "<end>", "<unk>"] + sorted(w for w, n in counts.items() if n >= min_freq)
        index = {w: k for k, w in enumerate(self.words)}
        self.captions = []                                          # (image, [<start> w1 .. <end>])
        for i in self.train:
            for s in self.records[i]["sentences"]:
                self.captions.append((i, [1] + [index.get(w, 3) for w in s["tokens"]][:max_length] + [2]))
        self.of_image = collections.defaultdict(list)
        for k, (i, _) in enumerate(self.captions):
            self.of_image[i].append(k)

    def pixels(self, ids):
        return self.images[ids].float() / 255.0                     # [B, 3, S, S] in [0, 1]


def init_weights(cfg, vocab, seed):
    """Parameters named and shaped as in a Glimpse bundle, initialised as Glimpse initialises them."""
    g = torch.Generator().manual_seed(seed)

    def uniform(bound, *shape):
        return (torch.rand(*shape, generator=g, dtype=torch.float64) * 2 - 1).float() * bound

    def xavier(i, o):
        return uniform(math.sqrt(6.0 / (i + o)), i, o)

    w = {}
    cin = 3
    for n, cout in enumerate(cfg["cnnChannels"]):
        w[f"enc.conv{n}.W"] = uniform(math.sqrt(6.0 / (9 * cin)), 3, 3, cin, cout)
        w[f"enc.conv{n}.b"] = torch.zeros(cout)
        w[f"enc.conv{n}.gain"] = torch.ones(cout)
        w[f"enc.conv{n}.shift"] = torch.zeros(cout)
        cin = cout
    d, h, m, a = cin, cfg["hiddenDim"], cfg["embedDim"], cfg["attentionDim"]
    w["dec.emb"] = uniform(0.1, vocab, m)
    for name, (i, o) in {"dec.init_h.W": (d, h), "dec.init_c.W": (d, h), "att.Wa": (d, a), "att.Wh": (h, a),
                         "att.w": (a, 1), "dec.beta.W": (h, 1), "dec.lstm.W": (m + d, 4 * h),
                         "dec.lstm.U": (h, 4 * h), "dec.out.Lh": (h, m), "dec.out.Lz": (d, m),
                         "dec.out.Lo": (m, vocab), "aux.words.W": (d, vocab)}.items():
        w[name] = xavier(i, o)
    for name, size in {"dec.init_h.b": h, "dec.init_c.b": h, "att.ba": a, "dec.beta.b": 1,
                       "dec.lstm.b": 4 * h, "dec.out.bo": vocab}.items():
        w[name] = torch.zeros(size)
    w["aux.words.b"] = torch.full((vocab,), -math.log(vocab))
    return {k: v.requires_grad_() for k, v in w.items()}


def word_loss(w, feats, present):
    """Logistic loss of the word detectors (max over regions, then linear) against the words present."""
    scores = feats.max(dim=1).values @ w["aux.words.W"] + w["aux.words.b"]  # [B, K]
    return (F.softplus(scores) - present * scores).sum(dim=1).mean()


def step(optimiser, params, loss):
    optimiser.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_norm_(params, 5.0)
    optimiser.step()


def greedy(cfg, w, data, ids, steps):
    """Greedy captions of images ids: the teacher-forced forward pass re-run on each longer prefix."""
    out = []
    with torch.no_grad():
        for s in range(0, len(ids), 100):
            feats = encode(cfg, w, data.pixels(ids[s:s + 100]))
            words = torch.ones(feats.shape[0], 1, dtype=torch.long)
            for _ in range(steps):
                logits, _, _ = forward(cfg, w, feats, words)
                words = torch.cat([words, logits[:, -1].argmax(dim=1, keepdim=True)], dim=1)
            for row in words[:, 1:].tolist():
                caption = []
                for k in row:
                    if k == 2:
                        break
                    caption.append(data.words[k])
                out.append(caption)
    return out


def objects_named(data, folder, captions):
    """Share of test objects named by shape, and by shape with their colour right before it."""
    inst = json.load(open(os.path.join(folder, "annotations", "instances_test.json")))
    names = {c["id"]: c["name"] for c in inst["categories"]}
    image_of = {im["file_name"]: im["id"] for im in inst["images"]}
    objects = collections.defaultdict(list)
    for o in inst["annotations"]:
        objects[o["image_id"]].append(o)
    total, shape, coloured = 0, 0, 0
    for i, words in zip(data.test, captions):
        for o in objects[image_of[data.records[i]["filename"]]]:
            at = [t for t, x in enumerate(words) if x in (names[o["category_id"]], names[o["category_id"]] + "s")]
            total += 1
            shape += bool(at)
            coloured += any(t > 0 and words[t - 1] == o["colour"] for t in at)
    return shape / total, coloured / total


def main():
    args = parse()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    os.makedirs(args.out, exist_ok=True)
    data = Data(args.data, args.min_freq, args.max_length)
    vocab = len(data.words)
    cfg = {"cnnChannels": [16, 32, 64, 128], "cnnLayerNorm": True, "gridConvs": 0, "embedDim": 128,
           "hiddenDim": 256, "attentionDim": 128, "alphaRegularization": args.alpha_c}
    w = init_weights(cfg, vocab, args.seed)
    budget = args.minutes * 60
    clock, log = 0.0, []

    def evaluate(tag, step_count):
        t = time.time()
        captions = greedy(cfg, w, data, data.test, args.max_length + 1)
        by_shape, with_colour = objects_named(data, args.data, captions)
        row = {"at": tag, "train_s": round(clock), "steps": step_count, "shape": by_shape, "shape_colour": with_colour}
        log.append(row)
        print(f"{tag}: {clock:.0f} s of training, {step_count} captioning steps: objects named by shape "
              f"{100 * by_shape:.1f}%, by shape and colour {100 * with_colour:.1f}% (decoded in {time.time() - t:.0f} s)",
              flush=True)
        with open(os.path.join(args.out, f"captions-{tag}.json"), "w") as f:
            json.dump([{"file": data.records[i]["filename"], "caption": " ".join(c)} for i, c in zip(data.test, captions)], f)
        with open(os.path.join(args.out, "log.json"), "w") as f:
            json.dump({"args": vars(args), "vocabulary": vocab, "evaluations": log}, f, indent=1)

    encoder = [v for k, v in w.items() if k.startswith(("enc.", "aux.words."))]
    optimiser = torch.optim.Adam(encoder, lr=args.lr)
    pool = []
    for n in range(args.warmup_steps):                             # encoder and detectors alone
        t = time.time()
        if len(pool) < args.batch_size:
            pool = data.train[:]
            rng.shuffle(pool)
        batch, pool = pool[:args.batch_size], pool[args.batch_size:]
        present = torch.zeros(len(batch), vocab)
        for r, i in enumerate(batch):
            for k in data.of_image[i]:
                present[r, data.captions[k][1][1:]] = 1
        step(optimiser, encoder, args.word_loss * word_loss(w, encode(cfg, w, data.pixels(batch)), present))
        clock += time.time() - t
    warmup = clock
    print(f"warm-up: {args.warmup_steps} steps in {warmup:.0f} s", flush=True)

    params = list(w.values())
    optimiser = torch.optim.Adam(params, lr=args.lr)               # captioning starts with fresh moments
    steps, epochs, next_eval = 0, 0, args.eval_every * 60
    drop = (lambda x: F.dropout(x, args.dropout, True)) if args.dropout > 0 else None
    longest = {i: max(len(data.captions[k][1]) - 1 for k in data.of_image[i]) for i in data.train}
    while clock < budget:
        images = data.train[:]
        rng.shuffle(images)
        images.sort(key=lambda i: longest[i])                      # stable: equal lengths stay shuffled
        order = [k for i in images for k in data.of_image[i]]
        batches = [order[s:s + args.batch_size] for s in range(0, len(order) - args.batch_size + 1, args.batch_size)]
        rng.shuffle(batches)
        for batch in batches:
            if clock >= budget:
                break
            t = time.time()
            distinct = sorted({data.captions[k][0] for k in batch})
            which = torch.tensor([distinct.index(data.captions[k][0]) for k in batch])
            length = min(args.max_length + 1, -(-max(len(data.captions[k][1]) - 1 for k in batch) // 4) * 4)
            inputs = torch.zeros(len(batch), length, dtype=torch.long)
            targets = torch.zeros(len(batch), length, dtype=torch.long)
            for r, k in enumerate(batch):
                ids = data.captions[k][1]
                n = min(length, len(ids) - 1)
                inputs[r, :n] = torch.tensor(ids[:n])
                targets[r, :n] = torch.tensor(ids[1:n + 1])
            mask = (targets != 0).float()
            per_image = encode(cfg, w, data.pixels(distinct))
            feats = per_image[which]
            logits, alphas, _ = forward(cfg, w, feats, inputs, drop=drop)
            ce, penalty = loss_terms(cfg, logits, alphas, targets, mask)
            present = torch.zeros(len(batch), vocab).scatter_(1, targets, 1.0)
            present[:, 0] = 0                                       # padding is no word
            step(optimiser, params, ce + penalty + args.word_loss * word_loss(w, feats, present))
            clock += time.time() - t
            steps += 1
            if clock >= next_eval:
                evaluate(f"t{round(clock):04d}", steps)
                next_eval += args.eval_every * 60
        epochs += 1
    evaluate("end", steps)
    print(f"{steps} captioning steps in {clock - warmup:.0f} s ({steps / max(1e-9, clock - warmup):.2f} per s, "
          f"{args.batch_size * steps / max(1e-9, clock - warmup):.0f} captions/s), {epochs} epochs started", flush=True)


if __name__ == "__main__":
    main()
