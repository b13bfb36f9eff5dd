# PyTorch peer for Pharos's benchmarks: a plain Llama (the same math as transformers' LlamaForCausalLM) that loads the same
# HF folder Pharos wrote. Runs on Debian sid's PyTorch 2.x (the chroot of bench/peers/setup-sid.sh) and on Debian 12's 1.13:
# attention is torch's scaled_dot_product_attention where it exists (2.x) for inference, written out otherwise and in training.
# Precision: --dtype bfloat16 runs inference on bf16 weights; training --precision bf16 is torch.autocast(cpu, bfloat16) with
# float32 master weights (full fine-tuning) or a bf16 frozen base under float32 LoRA factors (PEFT with a bf16 base).
# The benchmark starts it with OpenBLAS choosing its own kernels and torch using the same threads as Pharos (PEER_THREADS).
import argparse, contextlib, json, math, os, struct, sys, time
import numpy as np
import torch
import torch.nn.functional as F

DTYPES = {"F32": np.float32, "F16": np.float16, "I64": np.int64, "I32": np.int32}
TORCH_DTYPES = {"float32": torch.float32, "bfloat16": torch.bfloat16}
HAS_SDPA = hasattr(F, "scaled_dot_product_attention")


def read_safetensors(path):
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        b, e = info["data_offsets"]
        arr = np.frombuffer(data[b:e], dtype=DTYPES[info["dtype"]]).reshape(info["shape"])
        out[name] = torch.from_numpy(arr.copy())
    return out


class Llama(torch.nn.Module):
    def __init__(self, cfg, weights):
        super().__init__()
        self.cfg = cfg
        self.h = cfg["hidden_size"]; self.nh = cfg["num_attention_heads"]
        self.nkv = cfg.get("num_key_value_heads", self.nh); self.hd = cfg.get("head_dim") or self.h // self.nh
        self.eps = cfg.get("rms_norm_eps", 1e-6)
        self.w = torch.nn.ParameterDict({k.replace(".", "__"): torch.nn.Parameter(v) for k, v in weights.items()})
        theta = cfg.get("rope_theta") or cfg.get("rope_parameters", {}).get("rope_theta", 10000.0)
        self.inv_freq = 1.0 / (theta ** (torch.arange(0, self.hd, 2, dtype=torch.int64).float() / self.hd))
        self.layers = cfg["num_hidden_layers"]
        self.lora, self.lora_scale = {}, 0.0
        self.sdpa = HAS_SDPA

    def add_lora(self, r, alpha, targets, seed=0):
        """PEFT-style LoRA on the named projections: y = W x + (alpha/r) * B(A(x)); base weights frozen, factors float32."""
        g = torch.Generator().manual_seed(seed)
        for p in self.w.values():
            p.requires_grad_(False)
        self.lora_scale = alpha / r
        params = []
        for i in range(self.layers):
            for t in targets:
                part = "self_attn" if t in ("q_proj", "k_proj", "v_proj", "o_proj") else "mlp"
                w = self.p(f"model.layers.{i}.{part}.{t}.weight")
                a = torch.nn.Parameter((torch.rand(r, w.shape[1], generator=g) * 2 - 1) / math.sqrt(w.shape[1]))
                b = torch.nn.Parameter(torch.zeros(w.shape[0], r))
                self.lora[f"model.layers.{i}.{part}.{t}"] = (a, b)
                params += [a, b]
        return params

    def lin(self, x, name):
        y = F.linear(x, self.p(name + ".weight"))
        if name in self.lora:
            a, b = self.lora[name]
            y = y + F.linear(F.linear(x, a), b) * self.lora_scale
        return y

    def p(self, name):
        return self.w[name.replace(".", "__")]

    def norm(self, x, w):
        v = x.float().pow(2).mean(-1, keepdim=True)
        return w * (x.float() * torch.rsqrt(v + self.eps)).to(x.dtype)

    def rope(self, x, cos, sin):
        half = x.shape[-1] // 2
        rot = torch.cat((-x[..., half:], x[..., :half]), dim=-1)
        return x * cos + rot * sin

    def attention(self, i, x, cos, sin, cache):
        b, t, _ = x.shape
        pre = f"model.layers.{i}.self_attn."
        q = self.lin(x, pre + "q_proj").view(b, t, self.nh, self.hd).transpose(1, 2)
        k = self.lin(x, pre + "k_proj").view(b, t, self.nkv, self.hd).transpose(1, 2)
        v = self.lin(x, pre + "v_proj").view(b, t, self.nkv, self.hd).transpose(1, 2)
        q, k = self.rope(q, cos, sin), self.rope(k, cos, sin)
        past = 0
        if cache is not None:
            if i in cache:
                past = cache[i][0].shape[2]
                k = torch.cat([cache[i][0], k], 2); v = torch.cat([cache[i][1], v], 2)
            cache[i] = (k, v)
        g = self.nh // self.nkv
        if g > 1:
            k = k.repeat_interleave(g, dim=1); v = v.repeat_interleave(g, dim=1)
        if self.sdpa and (t == 1 or past == 0):
            a = F.scaled_dot_product_attention(q, k, v, is_causal=t > 1)
        else:
            s = q @ k.transpose(2, 3) / math.sqrt(self.hd)
            if t > 1:
                s = s + torch.full((t, past + t), float("-inf")).triu(past + 1).to(s.dtype)
            a = torch.softmax(s.float(), dim=-1).to(q.dtype) @ v
        return self.lin(a.transpose(1, 2).reshape(b, t, -1), pre + "o_proj")

    def forward(self, ids, cache=None, past=0):
        b, t = ids.shape
        x = F.embedding(ids, self.p("model.embed_tokens.weight"))
        pos = torch.arange(past, past + t).float()
        freqs = pos[:, None] * self.inv_freq[None, :]
        emb = torch.cat([freqs, freqs], -1)
        cos, sin = emb.cos().to(x.dtype), emb.sin().to(x.dtype)
        for i in range(self.layers):
            pre = f"model.layers.{i}."
            x = x + self.attention(i, self.norm(x, self.p(pre + "input_layernorm.weight")), cos, sin, cache)
            h = self.norm(x, self.p(pre + "post_attention_layernorm.weight"))
            m = F.silu(self.lin(h, pre + "mlp.gate_proj")) * self.lin(h, pre + "mlp.up_proj")
            x = x + self.lin(m, pre + "mlp.down_proj")
        x = self.norm(x, self.p("model.norm.weight"))
        head = self.p("lm_head.weight") if "lm_head__weight" in self.w else self.p("model.embed_tokens.weight")
        return F.linear(x, head)


def load(folder, dtype="float32"):
    cfg = json.load(open(f"{folder}/config.json"))
    model = Llama(cfg, read_safetensors(f"{folder}/model.safetensors"))
    return model.to(TORCH_DTYPES[dtype])


def matmul_peak(dtype=torch.float32, n=2048, reps=5):
    a, b = torch.randn(n, n).to(dtype), torch.randn(n, n).to(dtype)
    a @ b
    best = float("inf")
    for _ in range(reps):
        t0 = time.perf_counter(); a @ b; best = min(best, time.perf_counter() - t0)
    return 2 * n ** 3 / best / 1e9


def ready(**extra):
    print(json.dumps({"ready": True, "torch": torch.__version__, "threads": torch.get_num_threads(), **extra}), flush=True)


def session_forward(args):
    """Interactive: loads once, then answers 'run' (one timed forward), 'peak' (matmul GFLOP/s in the model's dtype) and
    'quit' on stdin, so the benchmark can interleave Pharos and PyTorch iterations and both see the same machine load."""
    model = load(args.model, args.dtype).eval()
    ids = torch.from_numpy(np.fromfile(args.ids, dtype=np.int64)).view(args.batch, args.seq)
    with torch.no_grad():
        logits = model(ids)
        np.asarray(logits[0, -1].float().numpy(), dtype=np.float32).tofile(args.logits_out)
        ready()
        for line in sys.stdin:
            cmd = line.strip()
            if cmd == "run":
                t0 = time.perf_counter(); model(ids); dt = time.perf_counter() - t0
                print(json.dumps({"seconds": dt}), flush=True)
            elif cmd == "peak":
                print(json.dumps({"matmul_gflops": matmul_peak(TORCH_DTYPES[args.dtype])}), flush=True)
            else:
                break


def greedy_decode(model, prompt, new_tokens):
    """The reference decode loop: prefill, then one token at a time with a concatenating KV cache."""
    cache = {}
    logits = model(prompt, cache=cache, past=0)
    past = prompt.shape[1]
    out = []
    for _ in range(new_tokens):
        nxt = logits[:, -1].argmax(-1, keepdim=True)
        out.append(nxt)
        logits = model(nxt, cache=cache, past=past)
        past += 1
    return torch.cat(out, 1)


def session_generate(args):
    """Interactive: 'gen B N' greedily decodes N tokens for B copies of the prompt; replies seconds and the tokens."""
    model = load(args.model, args.dtype).eval()
    prompt = torch.from_numpy(np.fromfile(args.ids, dtype=np.int64)).view(1, -1)
    ready()
    with torch.no_grad():
        for line in sys.stdin:
            parts = line.split()
            if not parts or parts[0] != "gen":
                break
            b, n = int(parts[1]), int(parts[2])
            ids = prompt.expand(b, -1).contiguous()
            t0 = time.perf_counter(); tokens = greedy_decode(model, ids, n); dt = time.perf_counter() - t0
            print(json.dumps({"seconds": dt, "tokens": tokens[0].tolist()}), flush=True)


def session_train(args):
    """Interactive: 'step' runs one training step as Pharos's Trainer does it (forward, token cross-entropy in float32,
    backward, clip, AdamW) and replies its seconds; 'peak' the matmul GFLOP/s of the compute dtype; 'rss' peak memory."""
    import resource
    bf16 = args.precision == "bf16"
    model = load(args.model).train()
    # Training uses the attention written out (transformers' "eager"): on this CPU torch 2.14's scaled_dot_product_attention
    # forward+backward in bf16 took ~5x as long as the written-out one (0.84 s vs 0.15-0.19 s for 4x12 heads x 256 tokens).
    model.sdpa = False
    targets = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]
    if args.method == "lora":
        params = model.add_lora(args.rank, 2.0 * args.rank, targets)
        if bf16:  # the frozen base in bf16, as PEFT users load it (torch_dtype=bfloat16); the factors stay float32
            for p in model.w.values():
                p.data = p.data.to(torch.bfloat16)
    else:
        params = list(model.parameters())
    opt = torch.optim.AdamW(params, lr=1e-4, weight_decay=0.0)
    ids = torch.from_numpy(np.fromfile(args.ids, dtype=np.int64)).view(args.batch, args.seq)
    autocast = (lambda: torch.autocast("cpu", dtype=torch.bfloat16)) if bf16 else contextlib.nullcontext

    def step():
        with autocast():
            logits = model(ids)
        loss = F.cross_entropy(logits[:, :-1].reshape(-1, logits.shape[-1]).float(), ids[:, 1:].reshape(-1))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step(); opt.zero_grad(set_to_none=True)
        return loss.item()

    first = step()  # warm-up
    ready(first_loss=first)
    for line in sys.stdin:
        cmd = line.strip()
        if cmd == "step":
            t0 = time.perf_counter(); step(); dt = time.perf_counter() - t0
            print(json.dumps({"seconds": dt}), flush=True)
        elif cmd == "peak":
            print(json.dumps({"matmul_gflops": matmul_peak(torch.bfloat16 if bf16 else torch.float32)}), flush=True)
        elif cmd == "rss":
            print(json.dumps({"peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}), flush=True)
        else:
            break


def main():
    torch.set_num_threads(int(os.environ.get("PEER_THREADS", "2")))
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    fs = sub.add_parser("forward-session")
    fs.add_argument("--model", required=True); fs.add_argument("--ids", required=True)
    fs.add_argument("--batch", type=int, required=True); fs.add_argument("--seq", type=int, required=True)
    fs.add_argument("--logits-out", required=True); fs.add_argument("--dtype", choices=list(TORCH_DTYPES), default="float32")
    gs = sub.add_parser("generate-session")
    gs.add_argument("--model", required=True); gs.add_argument("--ids", required=True)
    gs.add_argument("--dtype", choices=list(TORCH_DTYPES), default="float32")
    t = sub.add_parser("train-session")
    t.add_argument("--model", required=True); t.add_argument("--ids", required=True)
    t.add_argument("--batch", type=int, required=True); t.add_argument("--seq", type=int, required=True)
    t.add_argument("--method", choices=["lora", "full"], required=True); t.add_argument("--rank", type=int, default=16)
    t.add_argument("--precision", choices=["fp32", "bf16"], default="fp32")
    args = ap.parse_args()
    {"forward-session": session_forward, "generate-session": session_generate, "train-session": session_train}[args.cmd](args)


if __name__ == "__main__":
    main()
