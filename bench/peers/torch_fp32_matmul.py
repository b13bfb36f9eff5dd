# Peer side of `bench fp32-matmul`: PyTorch's float32 matmul per torch.backends.mkldnn.matmul.fp32_precision ("ieee": the
# BLAS; "bf16": oneDNN with bf16 math allowed) and the bf16-tensor peak, on the same shapes as Fp32MatmulBench.cs; one JSON
# line per cell (GFLOP/s, best of interleaved rounds; error against float64 on the same operands).
import argparse, json, time
import torch
import torch.nn.functional as F

SHAPES = [  # (name, M, N, K), the names Fp32MatmulBench.cs uses
    ("2048^3 a.mm(b)", 2048, 2048, 2048),
    ("fwd linear(x[1024x768], W[2048x768])", 1024, 2048, 768),
    ("dgrad gy[1024x2048].mm(W[2048x768])", 1024, 768, 2048),
    ("wgrad gy[1024x2048].t().mm(x[1024x768])", 2048, 768, 1024),
]
MODES = ["ieee", "bf16", "bf16-tensors"]


def operands(name, m, n, k):
    kind = name.split(" ")[0]
    if kind == "fwd":
        return torch.randn(m, k), torch.randn(n, k)
    if kind == "wgrad":
        return torch.randn(k, m), torch.randn(k, n)
    return torch.randn(m, k), torch.randn(k, n)


def multiply(name, a, b):
    kind = name.split(" ")[0]
    if kind == "fwd":
        return F.linear(a, b)
    if kind == "wgrad":
        return a.t().mm(b)
    return a.mm(b)


def set_mode(mode):
    torch.backends.mkldnn.matmul.fp32_precision = "bf16" if mode == "bf16" else "ieee"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--cpu-time", action="store_true", help="time by the process's CPU time (use with --threads 1)")
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    clock = time.process_time if args.cpu_time else time.perf_counter
    print(json.dumps({"info": f"torch {torch.__version__}, {torch.get_num_threads()} threads, {torch.backends.cpu.get_cpu_capability()}"}))
    for name, m, n, k in SHAPES:
        torch.manual_seed(0)
        a, b = operands(name, m, n, k)
        ops = {mode: (a.bfloat16(), b.bfloat16()) if mode == "bf16-tensors" else (a, b) for mode in MODES}
        best = {mode: float("inf") for mode in MODES}
        for _ in range(args.rounds):
            for mode in MODES:
                set_mode(mode)
                x, y = ops[mode]
                multiply(name, x, y)
                for _ in range(5):
                    start = clock()
                    multiply(name, x, y)
                    best[mode] = min(best[mode], clock() - start)
        reference = multiply(name, a.double(), b.double())
        for mode in MODES:
            set_mode(mode)
            x, y = ops[mode]
            error = (multiply(name, x, y).double() - reference).abs()
            print(json.dumps({"shape": name, "mode": mode, "gflops": 2.0 * m * n * k / best[mode] / 1e9,
                              "rel_err_fro": (error.norm() / reference.norm()).item(),
                              "max_err": (error.max() / reference.abs().max()).item()}), flush=True)
    set_mode("ieee")


if __name__ == "__main__":
    main()
