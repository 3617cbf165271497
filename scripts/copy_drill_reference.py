"""The copy-drill check in plain PyTorch: does an independent Llama learn to copy from its context
on the rows data.CopyDrill makes, after as many updates as ours? (docs/embedded-model.md, "Why no
model copied, and the copy drill".)

The model is the Llama of lib/src/main/resources/org/tuninglab/bench/pytorch_llama_step.py with
tied embeddings and normal(0, 0.02) matrices, as PretrainRecipe builds it. Each update trains on
rows of random tokens in which every segment (8 to 60 tokens, drawn anew) is shown twice: AdamW
(betas 0.9, 0.999, no weight decay), 20 warmup updates then cosine to 0, clipping at 1.0. Every
--every updates it prints the copying test of eval.RepeatedTokensLoss (8 random sequences of
--seq / 2 tokens shown twice): the repeat's loss falls far below the first pass's once the model copies.

  python3 scripts/copy_drill_reference.py --model-dir lib/src/main/resources/org/tuninglab/bench
"""
import argparse
import math
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def drill_rows(rows, length, ids, gen):
    """(rows, length) random segments of 8-60 tokens, each followed by itself."""
    out = []
    for _ in range(rows):
        row = []
        while len(row) < length:
            segment = torch.randint(0, ids, (int(torch.randint(8, 61, (1,), generator=gen)),),
                                    generator=gen).tolist()
            row += segment + segment
        out.append(row[:length])
    return torch.tensor(out)


def copying_test(model, ids, seq, gen, sequences=8):
    """Mean loss per token on the first pass and on the repeat of random sequences of seq / 2
    tokens shown twice (one more random token fills the model's fixed input length)."""
    length = seq // 2
    first = torch.randint(0, ids, (sequences, length), generator=gen)
    x = torch.cat([first, first, torch.randint(0, ids, (sequences, 1), generator=gen)], dim=1)
    with torch.no_grad():
        nll = F.cross_entropy(model(x[:, :-1]).transpose(1, 2), x[:, 1:], reduction="none")
    return nll[:, :length - 1].mean().item(), nll[:, length:2 * length - 1].mean().item()


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--model-dir", required=True, help="folder holding pytorch_llama_step.py")
    p.add_argument("--layers", type=int, default=2)
    p.add_argument("--dim", type=int, default=128)
    p.add_argument("--heads", type=int, default=4)
    p.add_argument("--ffn", type=int, default=384)
    p.add_argument("--vocab", type=int, default=512)
    p.add_argument("--ids", type=int, default=500, help="drill tokens are drawn below this")
    p.add_argument("--seq", type=int, default=128)
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--steps", type=int, default=3000)
    p.add_argument("--every", type=int, default=100)
    p.add_argument("--seed", type=int, default=42)
    a = p.parse_args()
    a.kv_heads = a.heads
    sys.path.insert(0, a.model_dir)
    from pytorch_llama_step import Llama  # noqa: E402

    torch.manual_seed(a.seed)
    model = Llama(a)
    model.head.weight = model.embed.weight
    for name, weight in model.named_parameters():
        if weight.dim() == 2:
            nn.init.normal_(weight, 0.0, 0.02)
    opt = torch.optim.AdamW(model.parameters(), lr=a.lr, betas=(0.9, 0.999), eps=1e-8,
                            weight_decay=0.0)
    warmup = 20
    data, probe = torch.Generator().manual_seed(a.seed), torch.Generator().manual_seed(7)
    start = time.time()
    for step in range(1, a.steps + 1):
        done = step - 1
        lr = a.lr * step / warmup if done < warmup else \
            a.lr * 0.5 * (1 + math.cos(math.pi * (done - warmup) / max(1, a.steps - warmup)))
        for group in opt.param_groups:
            group["lr"] = lr
        x = drill_rows(a.batch, a.seq + 1, a.ids, data)  # (B, T + 1)
        loss = F.cross_entropy(model(x[:, :-1]).transpose(1, 2), x[:, 1:])
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        if step % a.every == 0 or step == 1:
            first, repeat = copying_test(model, a.ids, a.seq, probe)
            print(f"update {step}  loss {loss.item():.3f}  copying test: first pass {first:.2f},"
                  f" repeat {repeat:.2f}  ({time.time() - start:.0f} s)", flush=True)


if __name__ == "__main__":
    main()
