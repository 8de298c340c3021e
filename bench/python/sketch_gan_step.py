#!/usr/bin/env python3
"""PyTorch twin of Atelier's sketch-GAN local training step, for `./atelier bench ganstep`.

The Java side (dev.atelier.bench.ganstep.GanStepBench) exports into --dir:
  model.safetensors     every model tensor by Atelier name (encoder.*, gen.*, disc.* incl. BatchNorm
                        running statistics, style.* = the AdaIN_SD style card), from SketchGan.save
  spectral.safetensors  the spectral-norm power-iteration vectors u of the critic convs ([F,1])
  data.safetensors      garments / sketches [N,1,32,32] in [0,1], batch indices [steps,16] of every
                        step (the trainer's SplittableRandom replayed), and the inference-mode
                        generator/critic outputs on a fixed batch (init.*)
  step1.safetensors     after Java's first training step: gen.*, disc.*, u, and outputs (step1.*)
  meta.json             config, optimizer settings, loss weights, weight counts, Java's step-1 losses

This script rebuilds the same architecture in plain PyTorch (nn.Module, autograd), loads the
weights by name and FIRST proves it is the same model: names/shapes/counts, the generator and critic
outputs on the fixed batch (max abs diff <= --tolerance), and its own first training step on the same
batch (losses, weights, output). Only then it times --warmup untimed and --steps timed steps on the
same batches as Java. It prints one JSON object on stdout (logs go to stderr) and exits 0 when the
checks pass, 3 when they do not (it then does not time).

Mirrored details (see the Java sources): FeatureNet encoder frozen, BatchNorm always in inference
mode; AdaIN/instance norm with biased variance and eps 1e-5; nearest up-sampling + 3x3 conv (no
transposed conv); avg-pool 2x2 on the MRFM skip; BatchNorm eps 1e-5, torch momentum = 1 - 0.9f
(DJL's convention); LeakyReLU slope 0.2f; spectral norm hand-written as in SpectralNormConv2d (one
power iteration per forward on W reshaped [F,-1], unit(x) = x/(||x||+1e-12), sigma = u'Wv with
gradient only through W, u persisted only in training mode, so twice per step); DJL's Adam
(w -= lr*sqrt(1-b2^t)/(1-b1^t) * m/(sqrt(v)+eps)), here torch.optim.Adam with its eps rescaled by
1/sqrt(1-b2^t) each step, which is algebraically the same update.
"""

import argparse
import json
import math
import platform
import statistics
import struct
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def f32(x):
    """x rounded to float32, as a Python float (Java floats handed to native code as doubles)."""
    return struct.unpack("<f", struct.pack("<f", float(x)))[0]


# ---- safetensors (header + little-endian raw data; only what Atelier writes) ----------------------

_DTYPES = {"F32": torch.float32, "I64": torch.int64, "I32": torch.int32}


def read_safetensors(path):
    with open(path, "rb") as f:
        raw = f.read()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    base = 8 + n
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        shape = info["shape"]
        if end == start:
            out[name] = torch.zeros(shape, dtype=_DTYPES[info["dtype"]])
        else:
            out[name] = torch.frombuffer(bytearray(raw[base + start:base + end]), dtype=_DTYPES[info["dtype"]]).reshape(shape)
    return out


# ---- layers -----------------------------------------------------------------------------------------

BN_EPS = 1e-5
BN_MOMENTUM = 1.0 - f32(0.9)  # DJL BatchNorm.optMomentum(0.9f) hands 1 - 0.9f to torch's batch_norm
IN_EPS = 1e-5                 # InstanceNorm.DEFAULT_EPSILON
SN_EPS = 1e-12                # SpectralNormConv2d.Builder epsilon
SEMANTIC_EPS = 1e-3           # SketchLosses.NORM_EPS
DECORR_EPS = 1e-5             # FedDecorr.EPS


class ConvBnAct(nn.Module):
    """conv (padding (k-1)/2, zeros or edge replication) -> BatchNorm -> ReLU (slope 0) / LeakyReLU (slope > 0)."""

    def __init__(self, cin, cout, k, slope, stride=1, edge=False):
        super().__init__()
        self.pad = (k - 1) // 2 if edge else 0
        self.conv = nn.Conv2d(cin, cout, k, stride=stride, padding=0 if edge else (k - 1) // 2)
        self.bn = nn.BatchNorm2d(cout, eps=BN_EPS, momentum=BN_MOMENTUM)
        self.slope = slope

    def forward(self, x):
        if self.pad:
            x = F.pad(x, (self.pad,) * 4, mode="replicate")
        x = self.bn(self.conv(x))
        if self.slope < 0:
            return x
        return F.relu(x) if self.slope == 0 else F.leaky_relu(x, self.slope)


class FeatureNet(nn.Module):
    """The frozen encoder: 4 conv-BN-ReLU stages (16, 32, 64, 128), 2x2 max-pool between them.

    Every 3x3 conv pads by edge replication, as Java's FeatureNetEncoder does (issue 10)."""

    CHANNELS = (16, 32, 64, 128)

    def __init__(self, classes):
        super().__init__()
        cin = 1
        for i, c in enumerate(self.CHANNELS):
            setattr(self, "stage%d" % (i + 1), ConvBnAct(cin, c, 3, 0.0, edge=True))
            cin = c
        self.head = nn.Linear(self.CHANNELS[-1], classes)  # unused by the GAN, loaded for the name check

    def features(self, x):
        out = []
        h = x
        for i in range(len(self.CHANNELS)):
            if i > 0:
                h = F.max_pool2d(h, 2, 2)
            h = getattr(self, "stage%d" % (i + 1))(h)
            out.append(h)
        return out


def embedding(features):
    last = features[-1]
    return last.reshape(last.shape[0], last.shape[1], -1).mean(2)


def instance_norm(x, eps=IN_EPS):
    b, c = x.shape[0], x.shape[1]
    flat = x.reshape(b, c, -1)
    centered = flat - flat.mean(2, keepdim=True)
    variance = centered.square().mean(2, keepdim=True)
    return (centered / (variance + eps).sqrt()).reshape(x.shape)


def adain(x, mean, std):
    c = x.shape[1]
    return instance_norm(x) * std.reshape(1, c, 1, 1) + mean.reshape(1, c, 1, 1)


class MrfmBlock(nn.Module):
    def __init__(self, prev_ch, skip_ch, down_ch, out_ch, slope):
        super().__init__()
        self.alpha = nn.Parameter(torch.zeros(1))
        self.down = ConvBnAct(skip_ch, down_ch, 3, slope)
        self.conv = nn.Conv2d(prev_ch + down_ch, skip_ch, 3, padding=1)
        self.fuse = ConvBnAct(skip_ch, out_ch, 1, slope)

    def forward(self, prev, skip):
        pooled = F.avg_pool2d(skip, 2, 2, 0, ceil_mode=False, count_include_pad=True)
        d = self.down(pooled)
        up = F.interpolate(torch.cat([prev, d], 1), size=(skip.shape[2], skip.shape[3]), mode="nearest")
        y = self.conv(up) + skip * self.alpha
        return self.fuse(y)


class SketchGenerator(nn.Module):
    def __init__(self, enc_ch, decoder_div, down_div, slope):
        super().__init__()
        k = len(enc_ch)
        prev = max(1, enc_ch[-1] // decoder_div)
        self.bottom = ConvBnAct(enc_ch[-1], prev, 1, slope)
        self.order = []
        for s in range(k - 2, -1, -1):
            c = enc_ch[s]
            name = "block%d" % (s + 1)
            setattr(self, name, MrfmBlock(prev, c, max(1, c // down_div), max(1, c // decoder_div), slope))
            self.order.append(name)
            prev = max(1, c // decoder_div)
        self.out = nn.Conv2d(prev, 1, 3, padding=1)

    def forward(self, stylised):
        k = len(stylised)
        d = self.bottom(stylised[k - 1])
        for i, name in enumerate(self.order):
            d = getattr(self, name)(d, stylised[k - 2 - i])
        return torch.tanh(self.out(d))


class SpectralNormConv2d(nn.Module):
    """Atelier's SpectralNormConv2d: W / sigma(W), sigma by one power iteration per forward."""

    def __init__(self, cin, cout, k, stride, padding, iterations=1):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(cout, cin, k, k))
        self.bias = nn.Parameter(torch.empty(cout))
        self.register_buffer("u", torch.empty(cout, 1))
        self.stride = stride
        self.padding = padding
        self.iterations = iterations

    @staticmethod
    def _unit(v):
        return v / (v.norm() + SN_EPS)

    def forward(self, x):
        matrix = self.weight.reshape(self.weight.shape[0], -1)
        with torch.no_grad():
            u = self.u
            v = None
            for _ in range(self.iterations):
                v = self._unit(matrix.t() @ u)
                u = self._unit(matrix @ v)
            if self.training:  # the new u is kept for the next pass only in training mode
                self.u.copy_(u)
        sigma = (u * (matrix @ v)).sum()
        return F.conv2d(x, (matrix / sigma).reshape(self.weight.shape), self.bias, self.stride, self.padding)


class CriticStage(nn.Module):
    def __init__(self, cin, cout, stride, slope, sn):
        super().__init__()
        self.conv = SpectralNormConv2d(cin, cout, 3, stride, 1) if sn else nn.Conv2d(cin, cout, 3, stride, 1)
        self.bn = nn.BatchNorm2d(cout, eps=BN_EPS, momentum=BN_MOMENTUM)
        self.slope = slope

    def forward(self, x):
        return F.leaky_relu(self.bn(self.conv(x)), self.slope)


class StyleDiscriminator(nn.Module):
    def __init__(self, scales, channels, slope, sn):
        super().__init__()
        cin = scales
        self.n = len(channels)
        for i, c in enumerate(channels):
            setattr(self, "stage%d" % (i + 1), CriticStage(cin, c, 2, slope, sn))
            cin = c
        self.head = SpectralNormConv2d(cin, 1, 1, 1, 0) if sn else nn.Conv2d(cin, 1, 1)

    def forward(self, x):
        h = x
        for i in range(self.n):
            h = getattr(self, "stage%d" % (i + 1))(h)
        feature = h.reshape(h.shape[0], h.shape[1], -1).mean(2)
        return self.head(h), feature


# ---- Gram statistics and losses ----------------------------------------------------------------------

def gram(f):
    b, c, h, w = f.shape
    m = f.reshape(b, c, -1)
    return torch.bmm(m, m.transpose(1, 2)) / float(c * h * w)


def gram_resize(g, size):
    b, c = g.shape[0], g.shape[1]
    img = g.reshape(b, 1, c, c)
    if c == size:
        return img
    if c > size:
        k = c // size
        return F.avg_pool2d(img, k, k, 0, ceil_mode=False, count_include_pad=True)
    return F.interpolate(img, size=(size, size), mode="nearest")


def gram_stack(grams, size):
    return torch.cat([gram_resize(g, size) for g in grams], 1)


def critic_hinge(real, fake):
    return F.relu(1 - real).mean() + F.relu(1 + fake).mean()


def fed_decorr(z):
    n, d = z.shape
    centered = z - z.mean(0, keepdim=True)
    standardized = centered / (centered.square().mean(0, keepdim=True) + DECORR_EPS).sqrt()
    corr = standardized.t() @ standardized / float(n)
    squares = corr.square()
    diagonal = (squares * torch.eye(d)).sum()
    return (squares.sum() - diagonal) / float(d * (d - 1))


def gram_loss(generated, reference):
    total = None
    for g, r in zip(generated, reference):
        t = (g - r).square().mean()
        total = t if total is None else total + t
    return total


def semantic_loss(generated, target):
    g = F.normalize(generated, p=2.0, dim=1, eps=SEMANTIC_EPS)
    t = F.normalize(target, p=2.0, dim=1, eps=SEMANTIC_EPS)
    return (1 - (g * t).sum(1)).mean()


def content_loss(features, normalized_input):
    return (instance_norm(features) - normalized_input).square().mean()


# ---- the model as a whole ----------------------------------------------------------------------------

class SketchGan:
    def __init__(self, meta, params, spectral):
        cfg = meta["config"]
        self.slope = f32(float(cfg["leaky_slope"]))
        self.gram_size = int(cfg["gram_size"])
        sn = cfg["spectral_norm"] == "true"
        disc_ch = [int(c) for c in cfg["disc_channels"].split(",")]
        classes = params["encoder.head.weight"].shape[0]
        self.encoder = FeatureNet(classes)
        enc_ch = list(FeatureNet.CHANNELS)
        self.gen = SketchGenerator(enc_ch, int(cfg["decoder_divisor"]), int(cfg["down_divisor"]), self.slope)
        self.disc = StyleDiscriminator(len(enc_ch), disc_ch, self.slope, sn)
        self.errors = []
        self.loaded = {}
        for prefix, module in (("encoder", self.encoder), ("gen", self.gen), ("disc", self.disc)):
            self.loaded[prefix] = load_by_java_names(module, prefix, params, spectral, self.errors)
        self.card_mean = []
        self.card_std = []
        for s, c in enumerate(enc_ch):
            m, d = params.get("style.s%d.mean" % (s + 1)), params.get("style.s%d.std" % (s + 1))
            if m is None or d is None or m.shape != (c,) or d.shape != (c,):
                self.errors.append("style card scale %d missing or not [%d]" % (s + 1, c))
                continue
            self.card_mean.append(m.clone())
            self.card_std.append(d.clone())
        extra = sorted(n for n in params if not n.split(".")[0] in ("encoder", "gen", "disc", "style"))
        if extra:
            self.errors.append("unexpected tensors in the checkpoint: %s" % extra)
        self.encoder.eval()
        for p in self.encoder.parameters():
            p.requires_grad_(False)

    def encode(self, x):
        return self.encoder.features(x)

    def stylise(self, features):
        return [adain(f, m, s) for f, m, s in zip(features, self.card_mean, self.card_std)]

    def critic_input(self, features):
        return gram_stack([gram(f) for f in features], self.gram_size)


def java_name_map(module, prefix):
    """Python state_dict key -> Atelier (DJL) name."""
    bn = {n for n, m in module.named_modules() if isinstance(m, nn.BatchNorm2d)}
    rename = {"weight": "gamma", "bias": "beta", "running_mean": "runningMean", "running_var": "runningVar"}
    out = {}
    for key in module.state_dict().keys():
        owner, _, leaf = key.rpartition(".")
        if leaf == "num_batches_tracked":
            continue
        if owner in bn:
            leaf = rename[leaf]
        out[key] = prefix + "." + (owner + "." if owner else "") + leaf
    return out


def load_by_java_names(module, prefix, params, spectral, errors):
    mapping = java_name_map(module, prefix)
    state = module.state_dict()
    expected = set()
    with torch.no_grad():
        for key, jname in mapping.items():
            src = spectral if key.endswith(".u") or key == "u" else params
            expected.add(jname)
            t = src.get(jname)
            if t is None:
                errors.append("missing in the Java export: %s (PyTorch %s %s)" % (jname, prefix, tuple(state[key].shape)))
                continue
            if tuple(t.shape) != tuple(state[key].shape):
                errors.append("shape mismatch %s: Java %s, PyTorch %s" % (jname, tuple(t.shape), tuple(state[key].shape)))
                continue
            state[key].copy_(t)
    for jname in list(params) + list(spectral):
        if jname.startswith(prefix + ".") and jname not in expected:
            errors.append("Java tensor %s %s has no PyTorch counterpart" % (jname, tuple((params.get(jname) if jname in params
                                                                                          else spectral[jname]).shape)))
    return len(expected)


def bias_before_bn_names(gan):
    """Atelier names of conv biases whose per-channel shift a training-mode BatchNorm removes (directly or
    after a 1x1 conv), so their true gradient is 0, and the running means of those BatchNorms."""
    out = set()
    for prefix, module in (("gen", gan.gen), ("disc", gan.disc)):
        for name, m in module.named_modules():
            if isinstance(m, (ConvBnAct, CriticStage)):
                p = prefix + "." + (name + "." if name else "")
                out.update({p + "conv.bias", p + "bn.runningMean"})
            elif isinstance(m, MrfmBlock):  # its conv -> (+ alpha*skip) -> 1x1 fuse conv -> BatchNorm
                out.add(prefix + "." + name + ".conv.bias")
    return out


def trainable_count(module):
    return sum(p.numel() for p in module.parameters() if p.requires_grad)


def max_abs(a, b):
    return float((a - b).abs().max())


# ---- data cache and the step ---------------------------------------------------------------------------

class FeatureCache:
    """Same choice as Java's FeatureCache: encode all data once, gather rows per step."""

    def __init__(self, gan, garments, sketches, chunk=64):
        parts = []
        with torch.no_grad():
            for start in range(0, garments.shape[0], chunk):
                x = garments[start:start + chunk] * 2 - 1
                y = sketches[start:start + chunk] * 2 - 1
                ex, ey = gan.encode(x), gan.encode(y)
                grams = [gram(f) for f in ey]
                parts.append((gan.stylise(ex), instance_norm(ex[0]), grams, gram_stack(grams, gan.gram_size), embedding(ey)))
        k = len(parts[0][0])
        self.stylised = [torch.cat([p[0][s] for p in parts]) for s in range(k)]
        self.content = torch.cat([p[1] for p in parts])
        self.grams = [torch.cat([p[2][s] for p in parts]) for s in range(k)]
        self.critic_in = torch.cat([p[3] for p in parts])
        self.semantic = torch.cat([p[4] for p in parts])  # paired: embedding of the sketches


class Trainer:
    def __init__(self, gan, meta, garments, sketches):
        self.gan = gan
        self.w = {k: f32(v) for k, v in meta["weights"].items()}
        self.beta1, self.beta2 = f32(meta["beta1"]), f32(meta["beta2"])
        self.eps = f32(meta["adam_epsilon"])
        gen_params = [p for p in gan.gen.parameters() if p.requires_grad]
        disc_params = [p for p in gan.disc.parameters() if p.requires_grad]
        self.gen_opt = torch.optim.Adam(gen_params, lr=f32(meta["gen_lr"]), betas=(self.beta1, self.beta2), eps=self.eps)
        self.disc_opt = torch.optim.Adam(disc_params, lr=f32(meta["disc_lr"]), betas=(self.beta1, self.beta2), eps=self.eps)
        self.t = {"gen": 0, "disc": 0}
        self.sketches = sketches
        self.cache = FeatureCache(gan, garments, sketches)

    def _adam_step(self, opt, which):
        # DJL: w -= lr*sqrt(c2)/c1 * m/(sqrt(v)+eps); torch: w -= lr/c1 * m/(sqrt(v)/sqrt(c2)+eps').
        # Equal for eps' = eps/sqrt(c2).
        self.t[which] += 1
        c2 = 1.0 - self.beta2 ** self.t[which]
        for g in opt.param_groups:
            g["eps"] = self.eps / math.sqrt(c2)
        opt.step()

    def step(self, rows):
        gan, w, c = self.gan, self.w, self.cache
        gi = si = rows  # paired data
        stylised = [a[gi] for a in c.stylised]
        content_t = c.content[gi]
        grams_r = [a[si] for a in c.grams]
        critic_r = c.critic_in[si]
        semantic_t = c.semantic[si]
        self.disc_opt.zero_grad(set_to_none=True)
        self.gen_opt.zero_grad(set_to_none=True)

        fake = gan.gen(stylised)
        ef = gan.encode(fake)
        gram_f = [gram(f) for f in ef]
        fake_stack = gram_stack(gram_f, gan.gram_size)
        b = rows.shape[0]
        scores, feats = gan.disc(torch.cat([critic_r, fake_stack.detach()], 0))
        loss = critic_hinge(scores[:b], scores[b:])
        d_loss = loss.item()
        decorr = 0.0
        if w["decorr"] > 0:
            dc = fed_decorr(feats)
            decorr = dc.item()
            loss = loss + dc * w["decorr"]
        loss.backward()
        self._adam_step(self.disc_opt, "disc")

        gl = gram_loss(gram_f, grams_r)
        sl = semantic_loss(embedding(ef), semantic_t)
        cl = content_loss(ef[0], content_t)
        loss = gl * w["gram"] + sl * w["semantic"] + cl * w["content"]
        m = {"gram": gl.item(), "semantic": sl.item(), "content": cl.item()}
        l1 = (fake - (self.sketches[si] * 2 - 1)).abs().mean()
        m["l1"] = l1.item() / 2
        loss = loss + l1 * w["l1"]
        adv = -gan.disc(fake_stack)[0].mean()
        m["g_adv"] = adv.item()
        loss = loss + adv * w["adversarial"]
        loss.backward()
        self._adam_step(self.gen_opt, "gen")
        m.update(d_loss=d_loss, decorr=decorr, prox=0.0)
        return m


def reference_outputs(gan, x, y):
    gan.gen.eval()
    gan.disc.eval()
    with torch.no_grad():
        gen = gan.gen(gan.stylise(gan.encode(x)))
        score, feat = gan.disc(gan.critic_input(gan.encode(y)))
    gan.gen.train()
    gan.disc.train()
    return gen, score, feat


# ---- main -------------------------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dir", required=True)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--steps", type=int, default=30)
    ap.add_argument("--tolerance", type=float, default=1e-3, help="max abs diff of inference outputs")
    ap.add_argument("--loss-tolerance", type=float, default=1e-3, help="max relative diff of the first step's losses")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:
        pass
    d = args.dir.rstrip("/")
    with open(d + "/meta.json") as f:
        meta = json.load(f)
    params = read_safetensors(d + "/model.safetensors")
    spectral = read_safetensors(d + "/spectral.safetensors")
    data = read_safetensors(d + "/data.safetensors")
    step1 = read_safetensors(d + "/step1.safetensors")

    result = {"ok": False, "torch_version": torch.__version__, "python_version": platform.python_version(),
              "threads": torch.get_num_threads(), "interop_threads": torch.get_num_interop_threads(), "checks": {},
              "errors": [], "notes": []}
    checks, errors, notes = result["checks"], result["errors"], result["notes"]
    notes.append("PyTorch %s (BLAS %s, oneDNN %s) vs DJL's libtorch: different builds and versions of the same kernels"
                 % (torch.__version__, "MKL" if torch.backends.mkl.is_available() else "generic/OpenBLAS",
                    "on" if torch.backends.mkldnn.is_available() else "off"))

    notes.append("optimizer: torch.optim.Adam with eps rescaled per step to reproduce DJL's Adam update"
                 " (algebraically identical; rounding order differs)")
    notes.append("the feature cache (frozen-encoder outputs of all data) is built by each side with its own encoder,"
                 " untimed on both sides; batches are Java's, replayed from the trainer's seed")
    torch.manual_seed(0)  # nothing random is drawn; weights all come from Java
    gan = SketchGan(meta, params, spectral)
    errors.extend(gan.errors)
    gw, dw = trainable_count(gan.gen), trainable_count(gan.disc)
    if gw != meta["generator_weights"] or dw != meta["critic_weights"]:
        errors.append("trainable weights: Java gen %d / critic %d, PyTorch gen %d / critic %d"
                      % (meta["generator_weights"], meta["critic_weights"], gw, dw))
    checks["parameters"] = ("%d encoder + %d generator + %d critic tensors by name, %s generator + %s critic weights: %s"
                            % (gan.loaded["encoder"], gan.loaded["gen"], gan.loaded["disc"], format(gw, ","), format(dw, ","),
                               "names, shapes and counts match" if not errors else "MISMATCH"))

    garments, sketches, indices = data["garments"], data["sketches"], data["indices"]
    b = meta["batch"]
    x = garments[:b] * 2 - 1
    y = sketches[:b] * 2 - 1
    if max_abs(x, data["init.x"]) != 0:
        errors.append("input batch differs from Java's by %.3g" % max_abs(x, data["init.x"]))
    if not errors:
        gen, score, feat = reference_outputs(gan, x, y)
        checks["gen_max_abs_diff"] = max_abs(gen, data["init.gen"])
        checks["critic_score_max_abs_diff"] = max_abs(score, data["init.critic_score"])
        checks["critic_feature_max_abs_diff"] = max_abs(feat, data["init.critic_feature"])
        for k in ("gen_max_abs_diff", "critic_score_max_abs_diff", "critic_feature_max_abs_diff"):
            if not checks[k] <= args.tolerance:
                errors.append("%s = %.3g exceeds the tolerance %.3g" % (k, checks[k], args.tolerance))

    trainer = None
    if not errors:
        trainer = Trainer(gan, meta, garments, sketches)
        m = trainer.step(indices[0])
        java = meta["java_step1"]
        worst, worst_name = 0.0, ""
        for k in ("d_loss", "g_adv", "gram", "semantic", "content", "l1", "decorr"):
            rel = abs(m[k] - java[k]) / max(abs(java[k]), 1e-6)
            if rel > worst:
                worst, worst_name = rel, "%s Java %.6g PyTorch %.6g" % (k, java[k], m[k])
        checks["step1_loss_max_rel_diff"] = worst
        checks["step1_worst_loss"] = worst_name or "all equal"
        checks["step1_losses"] = {k: [java[k], m[k]] for k in java}
        if worst > args.loss_tolerance:
            errors.append("first step losses differ: %s (rel %.3g > %.3g)" % (worst_name, worst, args.loss_tolerance))
        # Weights after the first step. Adam's first update is about lr*sign(grad), so this checks
        # gradient directions. Exception: a conv bias feeding a training-mode BatchNorm has a true
        # gradient of 0 (BN removes it), so both sides move it by float noise amplified by Adam, up
        # to +-lr, and the BN running mean follows; those are reported separately, not checked.
        noise_only = bias_before_bn_names(gan)
        diffs, noisy = [], []
        for prefix, module in (("gen", gan.gen), ("disc", gan.disc)):
            state = module.state_dict()
            for key, jname in java_name_map(module, prefix).items():
                (noisy if jname in noise_only else diffs).append((max_abs(state[key], step1[jname]), jname))
        worst_p, worst_n = max(diffs), max(noisy) if noisy else (0.0, "")
        checks["step1_param_max_abs_diff"] = worst_p[0]
        checks["step1_param_worst"] = worst_p[1]
        checks["step1_bias_before_bn_max_abs_diff"] = worst_n[0]
        if worst_p[0] > 1e-4:
            errors.append("weights after the first step differ by %.3g at %s (> 1e-4)" % worst_p)
        notes.append("after step 1, conv biases that feed a BatchNorm differ by up to %.2g (true gradient 0, so Adam"
                     " turns float noise into +-lr moves on both sides); BatchNorm cancels them in training mode, in inference mode"
                     " they account for the output difference after step 1" % worst_n[0])
        gen, score, feat = reference_outputs(gan, x, y)
        checks["step1_gen_max_abs_diff"] = max_abs(gen, step1["step1.gen"])
        checks["step1_critic_score_max_abs_diff"] = max_abs(score, step1["step1.critic_score"])
        if checks["step1_gen_max_abs_diff"] > 10 * args.tolerance:
            errors.append("generator output after the first step differs by %.3g" % checks["step1_gen_max_abs_diff"])

    if errors:
        log("sketch_gan_step.py: the PyTorch model does NOT match the Java export; not timing:")
        for e in errors:
            log("  " + e)
        print(json.dumps(result))
        return 3

    warm = indices[1:1 + args.warmup]
    timed = indices[1 + args.warmup:1 + args.warmup + args.steps]
    if timed.shape[0] < args.steps:
        errors.append("the export holds indices for %d timed steps, %d requested" % (timed.shape[0], args.steps))
        print(json.dumps(result))
        return 3
    for rows in warm:
        trainer.step(rows)
    ms = []
    for rows in timed:
        t0 = time.perf_counter()
        trainer.step(rows)
        ms.append((time.perf_counter() - t0) * 1e3)
    result["timing"] = {"median_ms": statistics.median(ms), "mean_ms": statistics.fmean(ms), "min_ms": min(ms),
                        "max_ms": max(ms), "steps": len(ms), "warmup": 1 + len(warm)}
    result["ok"] = True
    log("sketch_gan_step.py: PyTorch %.1f ms median per step (%d timed, %d threads)"
        % (result["timing"]["median_ms"], len(ms), torch.get_num_threads()))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
