"""Reference for `tuninglab bench model` and `bench methods`: the same Llama step in PyTorch eager.

An independent implementation (plain torch.nn), used only to time a training step of the same
configuration, batch and sequence length as the Java side, on the same CPU threads. By default a
step is forward + backward of every weight (bench model); with --optimizer adamw it is zero grads,
forward, cross-entropy, backward and an AdamW update of the trainable parameters, which are every
weight (--method full) or LoRA adapters on q and v (--method lora, B zero-initialised, alpha 2r).
After warm-up it prints a JSON line describing itself, then answers each "step" line on stdin
with the seconds one step took, so the caller can interleave its own steps with these and both
sides see the same machine load.
"""
import sys
import argparse
import json
import math
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class RMSNorm(nn.Module):
    def __init__(self, dim, eps):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(dim))
        self.eps = eps

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


class LoraLinear(nn.Module):
    """A frozen linear layer plus (alpha / r) B A x; the scale goes on the r-wide intermediate."""

    def __init__(self, base, r):
        super().__init__()
        self.base = base
        self.a = nn.Parameter(torch.empty(r, base.in_features))
        nn.init.kaiming_uniform_(self.a, a=math.sqrt(5))
        self.b = nn.Parameter(torch.zeros(base.out_features, r))
        self.scale = 2.0  # alpha = 2r

    def forward(self, x):
        return self.base(x) + (x @ self.a.t() * self.scale) @ self.b.t()


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


def rope_tables(hd, positions):
    """cos and sin of the rotary angles, (positions, hd), base 10000, halves concatenated."""
    inv = 1.0 / (10000 ** (torch.arange(0, hd, 2).float() / hd))
    ang = torch.outer(torch.arange(positions).float(), inv)
    ang = torch.cat((ang, ang), dim=-1)
    return ang.cos(), ang.sin()


def causal_mask(positions):
    """(positions, positions): 0 on and below the diagonal, -inf above."""
    return torch.full((positions, positions), float("-inf")).triu(1)


class Block(nn.Module):
    def __init__(self, a):
        super().__init__()
        hd = a.dim // a.heads
        self.heads, self.kv_heads, self.hd = a.heads, a.kv_heads, hd
        self.q = nn.Linear(a.dim, a.heads * hd, bias=False)
        self.k = nn.Linear(a.dim, a.kv_heads * hd, bias=False)
        self.v = nn.Linear(a.dim, a.kv_heads * hd, bias=False)
        self.o = nn.Linear(a.heads * hd, a.dim, bias=False)
        self.gate = nn.Linear(a.dim, a.ffn, bias=False)
        self.up = nn.Linear(a.dim, a.ffn, bias=False)
        self.down = nn.Linear(a.ffn, a.dim, bias=False)
        self.n1 = RMSNorm(a.dim, 1e-5)
        self.n2 = RMSNorm(a.dim, 1e-5)

    def forward(self, x, cos, sin, mask, cache=None):
        """cache: None when training; for decoding a list holding this block's (k, v) so far
        (empty at first), which the call extends with the new positions."""
        b, t, _ = x.shape
        h = self.n1(x)
        q = self.q(h).view(b, t, self.heads, self.hd).transpose(1, 2)
        k = self.k(h).view(b, t, self.kv_heads, self.hd).transpose(1, 2)
        v = self.v(h).view(b, t, self.kv_heads, self.hd).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        if cache is not None:
            if cache:
                k = torch.cat((cache[0], k), dim=2)  # (B, kv, past + t, hd)
                v = torch.cat((cache[1], v), dim=2)
            cache[:] = [k, v]
        rep = self.heads // self.kv_heads
        k = k.repeat_interleave(rep, dim=1)
        v = v.repeat_interleave(rep, dim=1)
        att = (q @ k.transpose(-1, -2)) / math.sqrt(self.hd) + mask
        out = att.softmax(-1) @ v
        x = x + self.o(out.transpose(1, 2).reshape(b, t, -1))
        h = self.n2(x)
        return x + self.down(F.silu(self.gate(h)) * self.up(h))


class Llama(nn.Module):
    def __init__(self, a):
        super().__init__()
        self.embed = nn.Embedding(a.vocab, a.dim)
        self.blocks = nn.ModuleList(Block(a) for _ in range(a.layers))
        self.norm = RMSNorm(a.dim, 1e-5)
        self.head = nn.Linear(a.dim, a.vocab, bias=False)
        cos, sin = rope_tables(a.dim // a.heads, a.seq)
        self.register_buffer("cos", cos)
        self.register_buffer("sin", sin)
        self.register_buffer("mask", causal_mask(a.seq))

    def forward(self, ids):
        x = self.embed(ids)
        for blk in self.blocks:
            x = blk(x, self.cos, self.sin, self.mask)
        return self.head(self.norm(x))


def main():
    p = argparse.ArgumentParser()
    for name in ("vocab", "dim", "ffn", "layers", "heads", "kv_heads", "batch", "seq", "warmup", "threads"):
        p.add_argument("--" + name.replace("_", "-"), dest=name, type=int, required=True)
    p.add_argument("--method", choices=("full", "lora"), default="full")
    p.add_argument("--lora-r", dest="lora_r", type=int, default=8)
    p.add_argument("--optimizer", choices=("none", "adamw"), default="none")
    p.add_argument("--lr", type=float, default=1e-4)
    a = p.parse_args()
    torch.manual_seed(0)
    torch.set_num_threads(a.threads)
    model = Llama(a)
    if a.method == "lora":
        model.requires_grad_(False)
        for blk in model.blocks:
            blk.q = LoraLinear(blk.q, a.lora_r)
            blk.v = LoraLinear(blk.v, a.lora_r)
    trainable = [t for t in model.parameters() if t.requires_grad]
    # Java's AdamWConfig.DEFAULT: betas (0.9, 0.999), eps 1e-8, no weight decay.
    opt = None
    if a.optimizer == "adamw":
        opt = torch.optim.AdamW(trainable, lr=a.lr, weight_decay=0.0)
    ids = torch.randint(0, a.vocab, (a.batch, a.seq + 1))
    x, y = ids[:, :-1], ids[:, 1:]

    def step():
        if opt is not None:
            opt.zero_grad()
        logits = model(x)
        loss = F.cross_entropy(logits.reshape(-1, a.vocab), y.reshape(-1))
        loss.backward()
        if opt is not None:
            opt.step()
        return loss

    for _ in range(a.warmup):
        step()
    print(json.dumps({
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "params": sum(t.numel() for t in model.parameters()),
        "trainable": sum(t.numel() for t in trainable),
        "method": a.method,
        "optimizer": a.optimizer,
    }), flush=True)
    for line in sys.stdin:
        if line.strip() != "step":
            break
        start = time.perf_counter()
        step()
        print(time.perf_counter() - start, flush=True)


if __name__ == "__main__":
    main()
