"""The float32 forward of GPT-2, OPT and Llama checkpoints in plain PyTorch, for `atelier lm bench`.

Mirrors transformers' modeling code (GPT2LMHeadModel, OPTForCausalLM, LlamaForCausalLM; eager
attention, no cache) without needing transformers: reads config.json and model.safetensors (or its
sharded index) itself, so it runs on Debian's python3-torch (1.13). Before timing it checks its
logits against --check FILE (safetensors with `input_ids` I32/I64 [rows, tokens] and `logits` F32
[rows, tokens, vocab]) and exits 3 when the max abs difference exceeds --tolerance. Prints one JSON
object on stdout.
"""
import argparse
import json
import math
import os
import struct
import sys
import time

import torch
import torch.nn.functional as F

DTYPES = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16, "I32": torch.int32, "I64": torch.int64}


def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = bytearray(f.read())
    out = {}
    for name, spec in header.items():
        if name == "__metadata__":
            continue
        b, e = spec["data_offsets"]
        t = torch.frombuffer(data[b:e], dtype=DTYPES[spec["dtype"]]) if e > b else torch.empty(0, dtype=DTYPES[spec["dtype"]])
        out[name] = t.reshape(spec["shape"])
    return out


def read_tensors(model_dir):
    single = os.path.join(model_dir, "model.safetensors")
    if os.path.exists(single):
        return read_safetensors(single)
    with open(os.path.join(model_dir, "model.safetensors.index.json")) as f:
        files = sorted(set(json.load(f)["weight_map"].values()))
    out = {}
    for file in files:
        out.update(read_safetensors(os.path.join(model_dir, file)))
    return out


def act(name):
    return {
        "relu": F.relu,
        "gelu": F.gelu,
        "gelu_new": lambda x: F.gelu(x, approximate="tanh"),
        "gelu_pytorch_tanh": lambda x: F.gelu(x, approximate="tanh"),
        "silu": F.silu,
        "swish": F.silu,
    }[name]


def attention(q, k, v, scale):
    """q [H, T, d], k/v [H, T, d] -> [T, H*d], causal."""
    t = q.shape[1]
    w = torch.matmul(q, k.transpose(1, 2)) * scale
    mask = torch.triu(torch.ones(t, t, dtype=torch.bool), diagonal=1)
    w = w.masked_fill(mask, torch.finfo(w.dtype).min)
    p = torch.softmax(w, dim=-1)
    return torch.matmul(p, v).transpose(0, 1).reshape(t, -1)


class Gpt2:
    def __init__(self, c, w):
        p = "transformer." if "transformer.wte.weight" in w else ""
        self.c, self.w, self.p = c, w, p
        self.act = act(c.get("activation_function", "gelu_new"))
        self.eps = c.get("layer_norm_epsilon", 1e-5)
        self.head = w["transformer.wte.weight" if p else "wte.weight"] if c.get("tie_word_embeddings", True) else w["lm_head.weight"]

    def __call__(self, ids):
        c, w, p = self.c, self.w, self.p
        h, nh = c["n_embd"], c["n_head"]
        d = h // nh
        t = ids.shape[0]
        x = w[p + "wte.weight"][ids] + w[p + "wpe.weight"][torch.arange(t)]
        for l in range(c["n_layer"]):
            b = f"{p}h.{l}."
            y = F.layer_norm(x, (h,), w[b + "ln_1.weight"], w[b + "ln_1.bias"], self.eps)
            qkv = torch.addmm(w[b + "attn.c_attn.bias"], y, w[b + "attn.c_attn.weight"])
            q, k, v = (z.reshape(t, nh, d).transpose(0, 1) for z in qkv.split(h, dim=1))
            a = attention(q, k, v, 1 / math.sqrt(d))
            x = x + torch.addmm(w[b + "attn.c_proj.bias"], a, w[b + "attn.c_proj.weight"])
            y = F.layer_norm(x, (h,), w[b + "ln_2.weight"], w[b + "ln_2.bias"], self.eps)
            m = self.act(torch.addmm(w[b + "mlp.c_fc.bias"], y, w[b + "mlp.c_fc.weight"]))
            x = x + torch.addmm(w[b + "mlp.c_proj.bias"], m, w[b + "mlp.c_proj.weight"])
        x = F.layer_norm(x, (h,), w[p + "ln_f.weight"], w[p + "ln_f.bias"], self.eps)
        return F.linear(x, self.head)


class Opt:
    def __init__(self, c, w):
        p = "model.decoder." if "model.decoder.embed_tokens.weight" in w else "decoder."
        self.c, self.w, self.p = c, w, p
        self.act = act(c.get("activation_function", "relu"))
        self.head = w[p + "embed_tokens.weight"] if c.get("tie_word_embeddings", True) else w["lm_head.weight"]

    def lin(self, x, name):
        return F.linear(x, self.w[name + ".weight"], self.w.get(name + ".bias"))

    def ln(self, x, name):
        h = self.c["hidden_size"]
        return F.layer_norm(x, (h,), self.w[name + ".weight"], self.w[name + ".bias"], 1e-5)

    def __call__(self, ids):
        c, w, p = self.c, self.w, self.p
        h, nh = c["hidden_size"], c["num_attention_heads"]
        d = h // nh
        t = ids.shape[0]
        x = w[p + "embed_tokens.weight"][ids] + w[p + "embed_positions.weight"][torch.arange(t) + 2]
        for l in range(c["num_hidden_layers"]):
            b = f"{p}layers.{l}."
            y = self.ln(x, b + "self_attn_layer_norm")
            q = (self.lin(y, b + "self_attn.q_proj") * d ** -0.5).reshape(t, nh, d).transpose(0, 1)
            k = self.lin(y, b + "self_attn.k_proj").reshape(t, nh, d).transpose(0, 1)
            v = self.lin(y, b + "self_attn.v_proj").reshape(t, nh, d).transpose(0, 1)
            x = x + self.lin(attention(q, k, v, 1.0), b + "self_attn.out_proj")
            y = self.ln(x, b + "final_layer_norm")
            x = x + self.lin(self.act(self.lin(y, b + "fc1")), b + "fc2")
        return F.linear(self.ln(x, p + "final_layer_norm"), self.head)


class Llama:
    def __init__(self, c, w):
        self.c, self.w = c, w
        self.act = act(c.get("hidden_act", "silu"))
        self.eps = c.get("rms_norm_eps", 1e-6)
        self.head = w["model.embed_tokens.weight"] if c.get("tie_word_embeddings", False) else w["lm_head.weight"]
        nh = c["num_attention_heads"]
        self.d = c.get("head_dim") or c["hidden_size"] // nh
        theta = (c.get("rope_parameters") or {}).get("rope_theta", c.get("rope_theta", 10000.0))
        self.inv_freq = 1.0 / (theta ** (torch.arange(0, self.d, 2, dtype=torch.int64).float() / self.d))

    def lin(self, x, name):
        return F.linear(x, self.w[name + ".weight"], self.w.get(name + ".bias"))

    def rms(self, x, name):
        var = x.pow(2).mean(-1, keepdim=True)
        return self.w[name + ".weight"] * (x * torch.rsqrt(var + self.eps))

    @staticmethod
    def rotate_half(x):
        x1, x2 = x[..., : x.shape[-1] // 2], x[..., x.shape[-1] // 2 :]
        return torch.cat((-x2, x1), dim=-1)

    def __call__(self, ids):
        c, w, d = self.c, self.w, self.d
        nh, nkv = c["num_attention_heads"], c.get("num_key_value_heads") or c["num_attention_heads"]
        t = ids.shape[0]
        freqs = torch.outer(torch.arange(t).float(), self.inv_freq)
        emb = torch.cat((freqs, freqs), dim=-1)
        cos, sin = emb.cos(), emb.sin()
        x = w["model.embed_tokens.weight"][ids]
        for l in range(c["num_hidden_layers"]):
            b = f"model.layers.{l}."
            y = self.rms(x, b + "input_layernorm")
            q = self.lin(y, b + "self_attn.q_proj").reshape(t, nh, d).transpose(0, 1)
            k = self.lin(y, b + "self_attn.k_proj").reshape(t, nkv, d).transpose(0, 1)
            v = self.lin(y, b + "self_attn.v_proj").reshape(t, nkv, d).transpose(0, 1)
            q = q * cos + self.rotate_half(q) * sin
            k = k * cos + self.rotate_half(k) * sin
            k = k.repeat_interleave(nh // nkv, dim=0)
            v = v.repeat_interleave(nh // nkv, dim=0)
            x = x + self.lin(attention(q, k, v, d ** -0.5), b + "self_attn.o_proj")
            y = self.rms(x, b + "post_attention_layernorm")
            x = x + self.lin(self.act(self.lin(y, b + "mlp.gate_proj")) * self.lin(y, b + "mlp.up_proj"), b + "mlp.down_proj")
        return F.linear(self.rms(x, "model.norm"), self.head)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--check", required=True, help="safetensors with input_ids and logits")
    ap.add_argument("--tolerance", type=float, default=1e-3)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    with open(os.path.join(a.model, "config.json")) as f:
        c = json.load(f)
    families = {"gpt2": Gpt2, "opt": Opt, "llama": Llama}
    if c.get("model_type") not in families:
        print(f"model_type {c.get('model_type')!r} not mirrored here", file=sys.stderr)
        return 2
    w = {k: (v.float() if v.is_floating_point() else v) for k, v in read_tensors(a.model).items()}
    model = families[c["model_type"]](c, w)
    ref = read_safetensors(a.check)
    ids = ref["input_ids"].long()
    with torch.no_grad():
        diff = 0.0
        for r in range(ids.shape[0]):
            diff = max(diff, (model(ids[r]) - ref["logits"][r].float()).abs().max().item())
        if diff > a.tolerance:
            print(json.dumps({"max_abs_diff": diff, "error": "logits differ from the Java forward"}))
            return 3
        row = ids[0]
        for _ in range(a.warmup):
            model(row)
        secs = []
        for _ in range(a.runs):
            t0 = time.perf_counter()
            model(row)
            secs.append(time.perf_counter() - t0)
    print(json.dumps({"max_abs_diff": diff, "tokens": int(row.shape[0]), "seconds": secs,
                      "torch": torch.__version__, "threads": torch.get_num_threads()}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
