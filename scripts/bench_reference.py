#!/usr/bin/python3
"""Times Glimpse's decoder work in PyTorch, as the yardstick `glimpse bench` is compared with.

The same model as Glimpse's decoder (Show, Attend and Tell, soft attention, deep output layer, gate
beta, doubly stochastic penalty; the bundle's layout: matrices [in, out], LSTM gates i, f, g, o) at the
same sizes, written as a careful PyTorch user would: W_a a once per image, the recurrence per step, the
deep output, vocabulary projection and cross-entropy once over all B*T rows, autograd for the backward
pass, Adam with the gradient's global norm clipped to 5, fp32, the same threads. It times

  * the training step (forward, backward and Adam) on a batch of B captions of T words over features
    [B, L, D];
  * the decode step: one word for the whole batch (B rows);
  * greedy decoding of one image (T steps, no early stop) and beam-5 decoding of one image (5 rows, T
    steps, top-k over beams x vocabulary each step, no early stop);

and reports medians after warm-up runs (at least one, and 1 s of them), the process's peak resident memory, and the analytic FLOP
count of the training step (the same formula as `glimpse bench`). Its model has no <end> logit
advantage either way: its searches run all T steps, as `glimpse bench`'s do.

Requirements: Debian's PyTorch and OpenBLAS with OpenMP (apt-get install python3-torch python3-numpy
libopenblas0-openmp), run with /usr/bin/python3 and
LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp. scripts/bench-side-by-side.sh runs it
interleaved with `glimpse bench` and prints the ratio.
"""
import argparse
import json
import math
import os
import resource
import statistics
import time

import torch
import torch.nn.functional as F


def parse():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--feature-dim", type=int, default=2048)
    p.add_argument("--grid", type=int, default=14)
    p.add_argument("--attention-dim", type=int, default=512)
    p.add_argument("--embed-dim", type=int, default=512)
    p.add_argument("--hidden-dim", type=int, default=512)
    p.add_argument("--vocab", type=int, default=10000)
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--words", type=int, default=20)
    p.add_argument("--beam", type=int, default=5)
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--threads", type=int, default=os.cpu_count())
    p.add_argument("--output-per-step", action="store_true",
                   help="compute the deep output, vocabulary projection and cross-entropy inside the step loop, "
                        "as the popular PyTorch tutorial does, instead of once over all B*T rows")
    p.add_argument("--json", help="also write the results here")
    return p.parse_args()


def init(args, gen):
    d, a, m, h, k = args.feature_dim, args.attention_dim, args.embed_dim, args.hidden_dim, args.vocab

    def xavier(i, o):
        bound = math.sqrt(6.0 / (i + o))
        return (torch.rand(i, o, generator=gen) * 2 - 1) * bound

    w = {
        "emb": (torch.rand(k, m, generator=gen) * 2 - 1) * 0.1,
        "init_h.W": xavier(d, h), "init_h.b": torch.zeros(h),
        "init_c.W": xavier(d, h), "init_c.b": torch.zeros(h),
        "Wa": xavier(d, a), "ba": torch.zeros(a), "Wh": xavier(h, a), "w": xavier(a, 1),
        "lstm.W": xavier(m + d, 4 * h), "lstm.U": xavier(h, 4 * h), "lstm.b": torch.zeros(4 * h),
        "beta.W": xavier(h, 1), "beta.b": torch.zeros(1),
        "Lh": xavier(h, m), "Lz": xavier(d, m), "Lo": xavier(m, k), "bo": torch.zeros(k),
    }
    for v in w.values():
        v.requires_grad_(True)
    return w


def start(w, feats):
    """h0, c0 from the mean feature and the attention keys W_a a + b_a, once per image."""
    mean = feats.mean(dim=1)                                               # [B, D]
    h = torch.tanh(mean @ w["init_h.W"] + w["init_h.b"])                   # [B, H]
    c = torch.tanh(mean @ w["init_c.W"] + w["init_c.b"])                   # [B, H]
    keys = feats @ w["Wa"] + w["ba"]                                       # [B, L, A]
    return h, c, keys


def step(w, feats, keys, h, c, prev_emb):
    """One decoder step: attention with h_{t-1}, gate, LSTM; returns h, c, z, alpha."""
    e = (torch.tanh(keys + (h @ w["Wh"]).unsqueeze(1)) @ w["w"]).squeeze(2)  # [B, L]
    alpha = torch.softmax(e, dim=1)                                        # [B, L]
    context = torch.bmm(alpha.unsqueeze(1), feats).squeeze(1)              # [B, D]
    beta = torch.sigmoid(h @ w["beta.W"] + w["beta.b"])                    # [B, 1]
    z = beta * context                                                     # [B, D]
    gates = torch.cat([prev_emb, z], dim=1) @ w["lstm.W"] + h @ w["lstm.U"] + w["lstm.b"]  # [B, 4H]
    i, f, g, o = gates.chunk(4, dim=1)
    c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
    h = torch.sigmoid(o) * torch.tanh(c)
    return h, c, z, alpha


def logits_of(w, prev_emb, h, z):
    deep = torch.tanh(prev_emb + h @ w["Lh"] + z @ w["Lz"])                # [n, m]
    return deep @ w["Lo"] + w["bo"]                                        # [n, K]


def train_step(w, opt, feats, inputs, targets, lam, per_step):
    b, t = inputs.shape
    h, c, keys = start(w, feats)
    emb = F.embedding(inputs, w["emb"])                                    # [B, T, m]
    hs, zs, alphas, logits = [], [], [], []
    for s in range(t):
        h, c, z, alpha = step(w, feats, keys, h, c, emb[:, s])
        if per_step:
            logits.append(logits_of(w, emb[:, s], h, z))                   # [B, K]
        hs.append(h)
        zs.append(z)
        alphas.append(alpha)
    if per_step:
        logits = torch.stack(logits, 1).reshape(b * t, -1)                 # [B*T, K]
    else:
        hs = torch.stack(hs, 1).reshape(b * t, -1)                         # [B*T, H]
        zs = torch.stack(zs, 1).reshape(b * t, -1)                         # [B*T, D]
        logits = logits_of(w, emb.reshape(b * t, -1), hs, zs)              # [B*T, K]
    ce = F.cross_entropy(logits, targets.reshape(-1))
    coverage = torch.stack(alphas, 1).sum(dim=1)                           # [B, L]
    loss = ce + lam * ((1 - coverage) ** 2).sum(dim=1).mean()
    opt.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(list(w.values()), 5.0)
    opt.step()
    return loss.item()


@torch.no_grad()
def decode_step(w, feats, keys, h, c, prev):
    h, c, z, alpha = step(w, feats, keys, h, c, F.embedding(prev, w["emb"]))
    return torch.log_softmax(logits_of(w, F.embedding(prev, w["emb"]), h, z), dim=1), h, c, alpha


@torch.no_grad()
def greedy(w, feats, words):
    h, c, keys = start(w, feats)
    prev = torch.ones(1, dtype=torch.long)
    out = []
    for _ in range(words):
        logp, h, c, _ = decode_step(w, feats, keys, h, c, prev)
        prev = logp.argmax(dim=1)
        out.append(prev.item())
    return out


@torch.no_grad()
def beam(w, feats, words, width):
    h, c, keys = start(w, feats)
    feats, keys = feats.expand(width, -1, -1), keys.expand(width, -1, -1)
    h, c = h.expand(width, -1), c.expand(width, -1)
    prev = torch.ones(width, dtype=torch.long)
    score = torch.full((width,), float("-inf"))
    score[0] = 0
    for _ in range(words):
        logp, h, c, _ = decode_step(w, feats, keys, h, c, prev)
        k = logp.shape[1]
        cand = (score.unsqueeze(1) + logp).reshape(-1)                     # [width * K]
        score, flat = cand.topk(width)
        parent = torch.div(flat, k, rounding_mode="floor")
        prev = flat % k
        h, c = h[parent], c[parent]
    return prev.tolist()


def flops(args):
    """FLOP (2 per multiply-add) of the training step's products over frozen features, as Glimpse counts:
    each product's forward, its weight gradient, and its input gradient where one is needed (none for the
    features: W_a a, the initial state and the context read need only the weights' and alpha's)."""
    b, t, l = args.batch_size, args.words, args.grid * args.grid
    d, a, m, h, k = args.feature_dim, args.attention_dim, args.embed_dim, args.hidden_dim, args.vocab
    once = b * l * d * a + 2 * b * d * h                   # W_a a + b_a; h0 and c0
    per_row = (h * a + l * a + h                            # W_h h, w . tanh(.), beta
               + (m + d + h) * 4 * h                        # LSTM
               + (h + d) * m + m * k)                       # deep output, vocabulary
    context = l * d                                        # sum_i alpha_i a_i
    return 2 * (2 * once + t * b * (3 * per_row + 2 * context))


WARMUP_SECONDS = 1.0


def median_time(fn, repeats):
    """Median of `repeats` timed runs after untimed warm-up runs: at least one, and until 1 s has passed
    (the same rule as glimpse bench, whose JIT needs a few dozen runs of a short operation)."""
    start = time.perf_counter()
    fn()
    while time.perf_counter() - start < WARMUP_SECONDS:
        fn()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), times


def main():
    args = parse()
    torch.set_num_threads(args.threads)
    gen = torch.Generator().manual_seed(3)
    b, t, l = args.batch_size, args.words, args.grid * args.grid
    w = init(args, gen)
    opt = torch.optim.Adam(list(w.values()), lr=1e-4)
    feats = torch.rand(b, l, args.feature_dim, generator=gen)
    inputs = torch.randint(4, args.vocab, (b, t), generator=gen)
    inputs[:, 0] = 1
    targets = torch.randint(4, args.vocab, (b, t), generator=gen)
    targets[:, -1] = 2
    train, train_all = median_time(lambda: train_step(w, opt, feats, inputs, targets, 1.0, args.output_per_step), args.repeats)
    peak_training = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    with torch.no_grad():
        h, c, keys = start(w, feats)
    prev = torch.ones(b, dtype=torch.long)
    dstep, dstep_all = median_time(lambda: decode_step(w, feats, keys, h, c, prev), args.repeats)
    one = feats[:1]
    greedy_s, greedy_all = median_time(lambda: greedy(w, one, t), args.repeats)
    beam_s, beam_all = median_time(lambda: beam(w, one, t, args.beam), args.repeats)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    gflop = flops(args) / 1e9
    result = {
        "tool": "pytorch", "outputPerStep": args.output_per_step, "torch": torch.__version__, "threads": torch.get_num_threads(),
        "sizes": {"featureDim": args.feature_dim, "regions": l, "attentionDim": args.attention_dim,
                  "embedDim": args.embed_dim, "hiddenDim": args.hidden_dim, "vocab": args.vocab,
                  "batchSize": b, "words": t, "beam": args.beam},
        "trainStepSeconds": train, "decodeStepSeconds": dstep, "greedySeconds": greedy_s,
        "beamSeconds": beam_s, "peakRssMegabytesTraining": peak_training, "peakRssMegabytes": peak,
        "trainStepGflop": gflop,
        "trainGflopPerSecond": gflop / train,
        "samples": {"train": train_all, "decode": dstep_all, "greedy": greedy_all, "beam": beam_all},
    }
    print(f"pytorch {torch.__version__}, {torch.get_num_threads()} threads; D={args.feature_dim} L={l} "
          f"A={args.attention_dim} m={args.embed_dim} H={args.hidden_dim} K={args.vocab} B={b} T={t}")
    print(f"train step: median {train:.3f} s ({gflop:.1f} GFLOP, {gflop / train:.1f} GFLOP/s)")
    print(f"decode step (B rows): median {dstep * 1e3:.2f} ms")
    print(f"greedy, one image, {t} words: median {greedy_s * 1e3:.1f} ms")
    print(f"beam {args.beam}, one image, {t} words: median {beam_s * 1e3:.1f} ms")
    print(f"peak resident memory: {peak_training:.0f} MB after the training steps, {peak:.0f} MB at the end")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(result, f, indent=1)
            f.write("\n")


if __name__ == "__main__":
    main()
