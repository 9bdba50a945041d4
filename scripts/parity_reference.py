#!/usr/bin/python3
"""Independent PyTorch forward pass of a Glimpse model bundle, for the Java/PyTorch parity test.

Implements Show, Attend and Tell (Xu et al. 2015, soft attention, deep output layer, doubly
stochastic attention penalty) from the paper's equations, using only the tensors stored in a Glimpse
bundle, and writes what ParityTest compares with Glimpse's TrainingGraph: logits, attention weights,
the masked cross-entropy, the attention penalty and the loss.

Conventions shared with Glimpse (they are part of the bundle format, not of its code):
  * small encoder: per block a 3x3 same-padding convolution + bias, ReLU, 2x2 max pool, on NCHW images
    in [0, 1] centred by subtracting 0.5 (with cnnLayerNorm: conv, pool, layer norm over (C, H, W) per
    image with per-channel gain and shift, ReLU), then gridConvs 3x3 convolutions (+ layer norm) + ReLU
    at the grid's resolution; conv weights are stored [kH, kW, in, out];
  * features a: [B, L, D] with the regions in row-major order of the final map;
  * matrices are stored [in, out] (y = x W + b); LSTM gates in the order i, f, g, o;
  * teacher forcing: inputs[t] is the previous word, targets[t] the word to predict, mask[t] 1 on real
    positions (words and <end>), 0 on padding.

Requirements: Debian's PyTorch, not the pyenv Python:
    apt-get update && apt-get install -y python3-torch python3-numpy libopenblas0-openmp

Regenerating the committed fixtures (glimpse-core/src/test/resources/ai/glimpse/model/parity/), from the repository root:
    ./mvnw -o -q test-compile
    ./mvnw -o -q -pl glimpse-core org.apache.maven.plugins:maven-dependency-plugin:3.7.0:build-classpath \\
        -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=test
    java -cp glimpse-core/target/test-classes:glimpse-core/target/classes:$(cat /tmp/cp.txt) ai.glimpse.model.ParityFixtures \\
        glimpse-core/src/test/resources/ai/glimpse/model/parity
    for c in small features; do
      /usr/bin/python3 scripts/parity_reference.py glimpse-core/src/test/resources/ai/glimpse/model/parity/$c-model.zip \\
          glimpse-core/src/test/resources/ai/glimpse/model/parity/$c-batch.npz glimpse-core/src/test/resources/ai/glimpse/model/parity/$c-expected.json
    done
The first command writes <case>-model.zip (made by Glimpse, seeded) and <case>-batch.npz; this script
writes <case>-expected.json. The computation runs in float64 (--dtype float32 for a float32 run).
"""
import argparse
import json
import zipfile

import numpy as np
import torch
import torch.nn.functional as F


def load_bundle(path, dtype):
    """The manifest and every parameter tensor of a Glimpse bundle (numpy opens the zip as an .npz)."""
    with zipfile.ZipFile(path) as z:
        manifest = json.loads(z.read("glimpse.json"))
    arrays = np.load(path)
    weights = {}
    for key in arrays.files:
        if key.startswith("weights/"):
            weights[key[len("weights/"):]] = torch.from_numpy(arrays[key].astype(np.float32)).to(dtype)
    expected = set(manifest["parameters"])
    if set(weights) != expected:
        raise SystemExit(f"{path}: weights {sorted(weights)} do not match the manifest's {sorted(expected)}")
    return manifest["model"], weights


def norm(cfg, w, layer, x):
    """Layer norm per image over (C, H, W) with a per-channel gain and shift, when the model has it."""
    if not cfg.get("cnnLayerNorm", False):
        return x
    x = F.layer_norm(x, x.shape[1:], eps=1e-5)
    return x * w[f"{layer}.gain"].view(1, -1, 1, 1) + w[f"{layer}.shift"].view(1, -1, 1, 1)


def encode(cfg, w, images):
    """Images [B, 3, S, S] in [0, 1] to region features a [B, L, D]."""
    x = images - 0.5
    for i in range(len(cfg["cnnChannels"])):
        kernel = w[f"enc.conv{i}.W"].permute(3, 2, 0, 1)          # [kH, kW, in, out] -> [out, in, kH, kW]
        x = F.conv2d(x, kernel, w[f"enc.conv{i}.b"], stride=1, padding=1)
        x = F.relu(norm(cfg, w, f"enc.conv{i}", F.max_pool2d(x, kernel_size=2, stride=2)))
    for j in range(cfg.get("gridConvs", 0)):
        kernel = w[f"enc.grid{j}.W"].permute(3, 2, 0, 1)
        x = F.relu(norm(cfg, w, f"enc.grid{j}", F.conv2d(x, kernel, w[f"enc.grid{j}.b"], stride=1, padding=1)))
    b, d, gh, gw = x.shape
    return x.reshape(b, d, gh * gw).transpose(1, 2)             # [B, L, D], row-major regions


def forward(cfg, w, a, inputs, drop=None):
    """Teacher-forced decoder over a [B, L, D]; returns logits [B, T, K], alphas [B, T, L], betas [B, T].

    The LSTM is written with the stored matrices (gates i, f, g, o, as torch.nn.LSTMCell orders them), so
    gradients reach w; drop, when given, is applied to each step's deep output (training-time dropout).
    """
    hidden = cfg["hiddenDim"]
    mean = a.mean(dim=1)                                         # [B, D], the mean annotation vector
    h = torch.tanh(mean @ w["dec.init_h.W"] + w["dec.init_h.b"])  # f_init,h
    c = torch.tanh(mean @ w["dec.init_c.W"] + w["dec.init_c.b"])  # f_init,c
    keys = a @ w["att.Wa"] + w["att.ba"]                          # [B, L, A]: W_a a_i + b_a
    logits, alphas, betas = [], [], []
    for t in range(inputs.shape[1]):
        prev = w["dec.emb"][inputs[:, t]]                         # [B, m]: E y_{t-1}
        e = torch.tanh(keys + (h @ w["att.Wh"]).unsqueeze(1)) @ w["att.w"]  # [B, L, 1]
        alpha = torch.softmax(e.squeeze(2), dim=1)                # [B, L]
        context = (alpha.unsqueeze(2) * a).sum(dim=1)             # [B, D]
        beta = torch.sigmoid(h @ w["dec.beta.W"] + w["dec.beta.b"])  # [B, 1], gating scalar (section 4.2.1)
        z = beta * context                                        # [B, D]
        gates = torch.cat([prev, z], dim=1) @ w["dec.lstm.W"] + h @ w["dec.lstm.U"] + w["dec.lstm.b"]
        i, f, g, o = gates.split(hidden, dim=1)                   # [B, H] each
        c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
        h = torch.sigmoid(o) * torch.tanh(c)
        deep = torch.tanh(prev + h @ w["dec.out.Lh"] + z @ w["dec.out.Lz"])  # eq. 7, deep output
        if drop is not None:
            deep = drop(deep)
        logits.append(deep @ w["dec.out.Lo"] + w["dec.out.bo"])   # [B, K]
        alphas.append(alpha)
        betas.append(beta.squeeze(1))
    return torch.stack(logits, 1), torch.stack(alphas, 1), torch.stack(betas, 1)


def loss_terms(cfg, logits, alphas, targets, mask):
    """Masked mean cross-entropy and lambda * mean_b sum_i (1 - sum_t mask_t alpha_ti)^2 (eq. 14)."""
    b, t, k = logits.shape
    nll = F.cross_entropy(logits.reshape(b * t, k), targets.reshape(-1), reduction="none").reshape(b, t)
    ce = (nll * mask).sum() / mask.sum()
    coverage = (alphas * mask.unsqueeze(2)).sum(dim=1)            # [B, L]
    penalty = cfg["alphaRegularization"] * ((1 - coverage) ** 2).sum(dim=1).mean()
    return ce, penalty


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("bundle", help="Glimpse model bundle (.zip)")
    p.add_argument("batch", help=".npz with images or features, inputs, targets, mask")
    p.add_argument("out", help="JSON file to write")
    p.add_argument("--dtype", choices=["float64", "float32"], default="float64")
    args = p.parse_args()
    dtype = getattr(torch, args.dtype)
    torch.set_grad_enabled(False)

    cfg, w = load_bundle(args.bundle, dtype)
    if cfg["dropout"] != 0:
        raise SystemExit(f"{args.bundle}: dropout {cfg['dropout']}; parity needs a deterministic model (0)")
    for aux in ("wordLoss", "contextLoss"):
        if cfg.get(aux, 0) != 0:
            raise SystemExit(f"{args.bundle}: {aux} {cfg[aux]}; this script computes the paper's loss only (0)")
    for extra in ("spatialSoftmax", "coordinates", "coverage"):
        if cfg.get(extra, False):
            raise SystemExit(f"{args.bundle}: {extra} is on; this script builds the model without it")
    batch = np.load(args.batch)
    inputs = torch.from_numpy(batch["inputs"]).long()
    targets = torch.from_numpy(batch["targets"]).long()
    mask = torch.from_numpy(batch["mask"]).to(dtype)
    if cfg["encoder"] == "SMALL":
        a = encode(cfg, w, torch.from_numpy(batch["images"]).to(dtype))
    else:
        a = torch.from_numpy(batch["features"]).to(dtype)
    logits, alphas, betas = forward(cfg, w, a, inputs)
    ce, penalty = loss_terms(cfg, logits, alphas, targets, mask)

    result = {
        "reference": "scripts/parity_reference.py",
        "torch": torch.__version__,
        "dtype": args.dtype,
        "bundle": args.bundle.rsplit("/", 1)[-1],
        "batch": args.batch.rsplit("/", 1)[-1],
        "crossEntropy": ce.item(),
        "alphaPenalty": penalty.item(),
        "loss": (ce + penalty).item(),
        "logits": np.round(logits.numpy().astype(np.float64), 7).tolist(),
        "alphas": np.round(alphas.numpy().astype(np.float64), 8).tolist(),
        "betas": np.round(betas.numpy().astype(np.float64), 8).tolist(),
    }
    with open(args.out, "w") as f:
        json.dump(result, f, separators=(",", ":"))
        f.write("\n")
    print(f"{args.out}: cross-entropy {ce.item():.6f} penalty {penalty.item():.6f} "
          f"alpha range [{alphas.min().item():.4f}, {alphas.max().item():.4f}]")


if __name__ == "__main__":
    main()
