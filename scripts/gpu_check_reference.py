"""Python side of scripts/gpu-check.sh: the same LoRA / QLoRA step in plain PyTorch, for comparison.

The model is the Llama of lib/.../bench/pytorch_llama_step.py (imported from --model-dir), at the
shape the Java side uses. A step is what the Java trainer does: forward, mean token cross-entropy,
backward, AdamW (lr 1e-4, no weight decay) on the LoRA adapters (q and v, alpha 2r, B zero).
Precision as peft users run it: frozen base weights held in the half dtype, adapters in float32,
torch.autocast around the forward; fp16 adds a GradScaler. QLoRA stores the frozen projections as
NF4 codes with one float32 absmax per 64 values (no double quantisation) and rebuilds them in the
compute dtype per call, plain torch, no bitsandbytes. With --new-tokens N it also times greedy
decoding with a KV cache after the steps, as the Java side does: batch 1, the prompt 1..8, a warm-up
of N/4 tokens, then N timed. Prints one JSON line.
"""
import argparse
import json
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

# bitsandbytes' NF4 values (the table Nf4Tensor.java uses).
NF4 = [-1.0, -0.6961928009986877, -0.5250730514526367, -0.39491748809814453, -0.28444138169288635,
       -0.18477343022823334, -0.09105003625154495, 0.0, 0.07958029955625534, 0.16093020141124725,
       0.24611230194568634, 0.33791524171829224, 0.44070982933044434, 0.5626170039176941,
       0.7229568362236023, 1.0]
BLOCK = 64


class Nf4Linear(nn.Module):
    """A frozen projection stored as NF4 (two codes a byte) and rebuilt in the input's dtype per call."""

    def __init__(self, base):
        super().__init__()
        w = base.weight.detach().float().reshape(-1, BLOCK)  # (blocks, 64)
        absmax = w.abs().amax(dim=1, keepdim=True).clamp_min(1e-12)
        book = torch.tensor(NF4, device=w.device)
        codes = (w / absmax).unsqueeze(-1).sub(book).abs().argmin(-1).to(torch.uint8)  # (blocks, 64)
        self.register_buffer("packed", codes[:, 0::2] * 16 + codes[:, 1::2])  # (blocks, 32)
        self.register_buffer("absmax", absmax)
        self.register_buffer("book", book)
        self.shape = base.weight.shape
        self.out_features, self.in_features = self.shape

    def forward(self, x):
        hi = torch.div(self.packed, 16, rounding_mode="floor")
        lo = self.packed - hi * 16
        codes = torch.stack((hi, lo), dim=-1).reshape(self.packed.shape[0], BLOCK).long()
        w = (self.book[codes] * self.absmax).reshape(self.shape).to(x.dtype)
        return F.linear(x, w)


def generation_tokens_per_s(model, new_tokens, dev, half, llama):
    """Greedy decoding with a KV cache, batch 1, from the prompt 1..8 (positions past --seq too)."""
    positions = 8 + max(8, new_tokens)
    cos_all, sin_all = (t.to(dev) for t in llama.rope_tables(model.blocks[0].hd, positions))
    mask_all = llama.causal_mask(positions).to(dev)

    def decode(n):
        ids = torch.arange(1, 9, device=dev).unsqueeze(0)  # (1, 8)
        caches, pos = [[] for _ in model.blocks], 0
        with torch.no_grad(), torch.autocast(dev.type, dtype=half, enabled=half is not None):
            for _ in range(n):
                t = ids.shape[1]
                x = model.embed(ids)
                cos, sin = cos_all[pos:pos + t], sin_all[pos:pos + t]
                mask = mask_all[pos:pos + t, :pos + t]  # (t, past + t)
                for blk, cache in zip(model.blocks, caches):
                    x = blk(x, cos, sin, mask, cache)
                ids = model.head(model.norm(x[:, -1:])).argmax(-1)  # (1, 1)
                pos += t

    decode(max(8, new_tokens // 4))
    if dev.type == "cuda":
        torch.cuda.synchronize()
    start = time.perf_counter()
    decode(new_tokens)
    if dev.type == "cuda":
        torch.cuda.synchronize()
    return new_tokens / (time.perf_counter() - start)


def main():
    p = argparse.ArgumentParser()
    for name in ("vocab", "dim", "ffn", "layers", "heads", "kv_heads", "batch", "seq", "steps", "warmup", "r"):
        p.add_argument("--" + name.replace("_", "-"), dest=name, type=int, required=True)
    p.add_argument("--method", choices=("lora", "qlora"), default="lora")
    p.add_argument("--precision", choices=("fp32", "fp16", "bf16"), default="fp32")
    p.add_argument("--device", default="cuda")
    p.add_argument("--model-dir", required=True, help="folder holding pytorch_llama_step.py")
    p.add_argument("--new-tokens", dest="new_tokens", type=int, default=0, help="tokens to decode greedily after the steps (0: none)")
    a = p.parse_args()
    sys.path.insert(0, a.model_dir)
    import pytorch_llama_step as llama  # noqa: E402
    Llama, LoraLinear = llama.Llama, llama.LoraLinear

    dev = torch.device(a.device)
    half = {"fp32": None, "fp16": torch.float16, "bf16": torch.bfloat16}[a.precision]
    head = {"side": "python", "method": a.method, "precision": a.precision, "device": str(dev), "torch": torch.__version__}
    if half is not None and dev.type == "cpu":
        print(json.dumps({**head, "skipped": "half precision is measured on a GPU only"}))
        return
    torch.manual_seed(0)
    model = Llama(a).to(dev)
    for prm in model.parameters():
        prm.data.normal_(0, 0.02)
    model.requires_grad_(False)
    base_parameters = sum(t.numel() for t in model.parameters())
    for blk in model.blocks:
        if a.method == "qlora":
            for name in ("q", "k", "v", "o", "gate", "up", "down"):
                setattr(blk, name, Nf4Linear(getattr(blk, name)))
        blk.q = LoraLinear(blk.q, a.r).to(dev)
        blk.v = LoraLinear(blk.v, a.r).to(dev)
    trainable = [t for t in model.parameters() if t.requires_grad]
    if half is not None:  # frozen weights in the half dtype, adapters stay float32 (the masters)
        for prm in model.parameters():
            if not prm.requires_grad:
                prm.data = prm.data.to(half)
    opt = torch.optim.AdamW(trainable, lr=1e-4, weight_decay=0.0)
    # torch.amp.GradScaler since 2.3; torch.cuda.amp's before (same behaviour).
    scaler_cls = getattr(torch.amp, "GradScaler", None)
    scaler = (scaler_cls("cuda", enabled=a.precision == "fp16") if scaler_cls
              else torch.cuda.amp.GradScaler(enabled=a.precision == "fp16"))
    gen = torch.Generator().manual_seed(0)
    cuda = dev.type == "cuda"
    if cuda:
        torch.cuda.synchronize()
        torch.cuda.reset_peak_memory_stats()
    times, peak_used, loss_value = [], 0, float("nan")
    for i in range(a.warmup + a.steps):
        ids = torch.randint(0, a.vocab, (a.batch, a.seq + 1), generator=gen).to(dev)
        x, y = ids[:, :-1], ids[:, 1:]
        if cuda:
            torch.cuda.synchronize()
        start = time.perf_counter()
        opt.zero_grad(set_to_none=False)
        with torch.autocast(dev.type, dtype=half, enabled=half is not None):
            logits = model(x)
        loss = F.cross_entropy(logits.float().reshape(-1, a.vocab), y.reshape(-1))
        scaler.scale(loss).backward()
        scaler.step(opt)
        scaler.update()
        if cuda:
            torch.cuda.synchronize()
            free, total = torch.cuda.mem_get_info()
            peak_used = max(peak_used, total - free)
        if i >= a.warmup:
            times.append(time.perf_counter() - start)
        loss_value = loss.item()
    median = sorted(times)[len(times) // 2]
    gen_rate = generation_tokens_per_s(model, a.new_tokens, dev, half, llama) if a.new_tokens else None
    print(json.dumps({**head, "parameters": base_parameters,
                      "trainable": sum(t.numel() for t in trainable), "batch": a.batch, "seq": a.seq,
                      "median_step_s": median, "tokens_per_s": a.batch * a.seq / median,
                      "peak_allocated_bytes": torch.cuda.max_memory_allocated() if cuda else None,
                      "peak_memory_bytes": peak_used if cuda else None,
                      "peak_memory_kind": "device used (cudaMemGetInfo)" if cuda else None,
                      "last_loss": loss_value, "step_spread_s": statistics.pstdev(times) if len(times) > 1 else 0.0,
                      "generation_tokens_per_s": gen_rate}))


if __name__ == "__main__":
    main()
