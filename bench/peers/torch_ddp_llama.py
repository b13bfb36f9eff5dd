# PyTorch DDP peer for Pharos's `bench ddp`: the Llama of torch_llama.py trained with DistributedDataParallel over gloo,
# one CPT step as Pharos's Trainer does it (this rank's micro-batches of the global batch, token cross-entropy summed and
# divided by the global batch's target tokens, gradients all-reduced once per step, clipping, AdamW).
# --precision bf16: the forward under torch.autocast("cpu", dtype=torch.bfloat16) (float32 weights, gradients and AdamW), how
# PyTorch users train bf16 on a CPU. Attention is written out (as torch_llama.py's training peer does: on this CPU torch
# 2.14's fused attention forward+backward in bf16 was ~5x slower).
# Run (one process per rank, as torch.distributed.run starts its workers): RANK=r WORLD_SIZE=2 MASTER_ADDR=127.0.0.1
# MASTER_PORT=p USE_LIBUV=0 OMP_NUM_THREADS=1 python3 torch_ddp_llama.py --model DIR ... (bench ddp does this)
import argparse, contextlib, json, os, resource, sys, time
import numpy as np
import torch
import torch.distributed as dist
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_llama import load  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--batch", type=int, default=4)
    ap.add_argument("--seq", type=int, default=256)
    ap.add_argument("--micro-batch", type=int, default=2)
    ap.add_argument("--iters", type=int, default=3)
    ap.add_argument("--precision", choices=["fp32", "bf16"], default="fp32")
    args = ap.parse_args()
    torch.set_num_threads(int(os.environ.get("PEER_THREADS", "1")))
    dist.init_process_group("gloo")
    rank, world = dist.get_rank(), dist.get_world_size()
    model = load(args.model).train()
    model.sdpa = False
    autocast = (lambda: torch.autocast("cpu", dtype=torch.bfloat16)) if args.precision == "bf16" else contextlib.nullcontext
    ddp = torch.nn.parallel.DistributedDataParallel(model) if world > 1 else model
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=0.0)
    rng = np.random.default_rng(1)
    vocab = model.cfg["vocab_size"]
    rows = torch.from_numpy(rng.integers(3, vocab, size=(args.batch, args.seq), dtype=np.int64))
    per_rank = args.batch // world
    mine = rows[rank * per_rank:(rank + 1) * per_rank]
    micro = [mine[i:i + args.micro_batch] for i in range(0, per_rank, args.micro_batch)]
    targets = args.batch * (args.seq - 1)
    times = []
    for step in range(args.iters + 1):
        t0 = time.perf_counter()
        for k, ids in enumerate(micro):
            # Gradients are all-reduced once, with the last micro-batch's backward (as Pharos does).
            sync = contextlib.nullcontext() if k == len(micro) - 1 or world == 1 else ddp.no_sync()
            with sync:
                with autocast():
                    logits = ddp(ids)
                loss = F.cross_entropy(logits[:, :-1].reshape(-1, logits.shape[-1]).float(), ids[:, 1:].reshape(-1), reduction="sum") / targets
                loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        opt.zero_grad(set_to_none=True)
        if step > 0:
            times.append(time.perf_counter() - t0)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # Every rank reports; the benchmark reads rank 0's time and each rank's memory.
    print(json.dumps({"rank": rank, "step_s": min(times), "peak_rss_mb": peak_mb}), flush=True)
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
