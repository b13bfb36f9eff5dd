#!/usr/bin/env python3
"""llama.cpp running Pharos's GGUF exports, compared with Pharos itself (driven by llamacpp_check.sh; not run in CI).

    python3 check_llamacpp.py assemble REPO WORK   model folders, as GgufExportTests assembles them
    python3 check_llamacpp.py llama WORK           llama.cpp's side: prompt tokens and logits (llama-results), greedy
                                                   continuations (llama-server), tokenization of sample texts (llama-tokenize)
    python3 check_llamacpp.py compare WORK         against Pharos's logits and greedy tokens; prints the result table

llama.cpp runs with -fa off -ctk f32 -ctv f32: its CPU flash-attention path and the default f16 KV cache round to fp16
(logits then differ by ~1e-2 on these models); with them off the f32 graph is float32 throughout, except where ggml
itself uses fp16 (its GELU is an fp16 lookup table).
"""
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

import numpy as np
from gguf import GGUFReader

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_gguf_fixtures import assemble  # noqa: E402

CASES = {"stories260K": "Once upon a time", "tiny-llama": "all human beings are born free and equal in dignity",
         "tiny-qwen2": "all human beings are born free and equal in dignity",
         "tiny-gemma2-q16": "all human beings are born free and equal in dignity"}
TYPES = ["f32", "f16", "bf16", "q8_0"]
PRECISE = ["-fa", "off", "-ctk", "f32", "-ctv", "f32", "-t", "2"]
NEW_TOKENS = 16
SAMPLES = ["Once upon a time, there was a little girl named Lily.", "everyone has the right to life liberty and security",
           "Hello world!! It's 12345 apples,\n\n  and   THE dog's bone 3.14 - cafe", "  leading spaces and trailing  "]


def results(gguf):
    out = gguf + ".results"
    subprocess.run(["llama-results", "-m", gguf, "-o", out, "-p", CASES[os.path.basename(gguf).split(".")[0]], *PRECISE],
                   check=True, capture_output=True)
    t = {x.name: x for x in GGUFReader(out).tensors}
    tokens = np.array(t["tokens"].data).astype(np.int64).reshape(-1)
    return tokens, np.array(t["logits"].data, dtype=np.float32).reshape(len(tokens), -1)


def greedy(gguf, tokens):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(["llama-server", "-m", gguf, "--host", "127.0.0.1", "--port", str(port), "-np", "1", *PRECISE],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(120):
            try:
                if b"ok" in urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1).read():
                    break
            except OSError:
                time.sleep(0.5)
        body = json.dumps({"prompt": [int(t) for t in tokens], "n_predict": NEW_TOKENS, "temperature": 0, "top_k": 1,
                           "samplers": ["top_k"], "ignore_eos": True, "cache_prompt": False, "return_tokens": True}).encode()
        reply = json.load(urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{port}/completion", body), timeout=60))
        return reply["tokens"]
    finally:
        server.terminate()
        server.wait()


def tokenize(gguf, text):
    r = subprocess.run(["llama-tokenize", "-m", gguf, "-p", text, "--ids", "--log-disable"], check=True, capture_output=True, text=True)
    return json.loads(r.stdout.strip().splitlines()[-1])


def llama(work):
    report = {}
    for case in CASES:
        entry = {}
        for t in TYPES:
            gguf = os.path.join(work, f"{case}.{t}.gguf")
            tokens, logits = results(gguf)
            np.save(os.path.join(work, f"{case}.{t}.llama-logits.npy"), logits)
            entry[t] = {"prompt_tokens": tokens.tolist(), "greedy": greedy(gguf, tokens)}
        entry["tokenize"] = {text: tokenize(os.path.join(work, f"{case}.f32.gguf"), text) for text in SAMPLES}
        report[case] = entry
    for vocab in sorted(f for f in os.listdir(work) if f.startswith("vocab-") and f.endswith(".gguf")):
        report[vocab] = {"tokenize": {text: tokenize(os.path.join(work, vocab), text) for text in SAMPLES}}
    json.dump(report, open(os.path.join(work, "llama.json"), "w"), indent=1)


def compare(work):
    from safetensors.numpy import load_file
    from tokenizers import Tokenizer
    report = json.load(open(os.path.join(work, "llama.json")))
    pharos = json.load(open(os.path.join(work, "pharos.json")))
    ok = True
    print("| model | GGUF | max abs logit diff vs Pharos f32 (all prompt positions) | f32 criterion ≤ 1e-3 | greedy 16 tokens = Pharos |")
    print("|---|---|---|---|---|")
    for case in CASES:
        ours = load_file(os.path.join(work, f"{case}.pharos-logits.safetensors"))["logits"][0]
        for t in TYPES:
            entry = report[case][t]
            assert entry["prompt_tokens"] == report[case]["f32"]["prompt_tokens"]
            logits = np.load(os.path.join(work, f"{case}.{t}.llama-logits.npy"))[:, :ours.shape[1]]
            diff = float(np.abs(logits - ours).max())
            same = entry["greedy"] == pharos[case]["greedy"]
            criterion = ""
            if t == "f32":
                ok &= same and diff <= 1e-3
                criterion = "met" if diff <= 1e-3 else "NOT met"
            print(f"| {case} | {t} | {diff:.2e} | {criterion} | {'yes' if same else 'no: ' + str(entry['greedy'])} |")
    print()
    gelu_table(work, report)
    print()
    print("Tokenization: llama-tokenize on the Pharos GGUF vs Hugging Face tokenizers on tokenizer.json (with special tokens)")
    for name, entry in report.items():
        folder = os.path.join(work, name.removesuffix(".gguf") if name.startswith("vocab-") else name)
        hf = Tokenizer.from_file(os.path.join(folder, "tokenizer.json"))
        differ = [text for text, ids in entry["tokenize"].items() if hf.encode(text).ids != ids]
        print(f"- {name}: {len(entry['tokenize']) - len(differ)}/{len(entry['tokenize'])} sample texts tokenized identically"
              + "".join(f"; differs on {text!r}" for text in differ))
        # Byte-level BPE must agree everywhere; llama.cpp's SentencePiece tokenizer treats runs of spaces differently
        # from transformers' BPE conversion whatever the file (the converter's own GGUF gives the same ids).
        ok &= not differ or json.load(open(os.path.join(folder, "tokenizer.json")))["model"].get("byte_fallback", False)
    print("\nPharos greedy (f32 model):", {c: pharos[c]["greedy"] for c in CASES})
    sys.exit(0 if ok else 1)


def gelu_table(work, report):
    """Where Gemma 2's f32 difference comes from: ggml's CPU GELU rounds its input to fp16 and looks the result up in an
    fp16 table. transformers with that GELU substituted is compared with llama.cpp, next to the exact GELU."""
    import torch
    import torch.nn.functional as F
    from transformers import AutoModelForCausalLM

    class Fp16TableGelu(torch.nn.Module):
        def forward(self, x):
            y = F.gelu(x.half().float(), approximate="tanh").half().float()
            return torch.where(x <= -10, torch.zeros_like(x), torch.where(x >= 10, x, y))

    case = "tiny-gemma2-q16"
    tokens = torch.tensor([report[case]["f32"]["prompt_tokens"]])
    ours = np.load(os.path.join(work, f"{case}.f32.llama-logits.npy"))
    model = AutoModelForCausalLM.from_pretrained(os.path.join(work, case), dtype=torch.float32, attn_implementation="eager")
    with torch.no_grad():
        exact = model(input_ids=tokens).logits[0].numpy()
        for layer in model.model.layers:
            layer.mlp.act_fn = Fp16TableGelu()
        table = model(input_ids=tokens).logits[0].numpy()
    print(f"{case}: max |llama.cpp f32 − transformers| = {np.abs(ours - exact).max():.2e} with the exact GELU, "
          f"{np.abs(ours - table).max():.2e} with ggml's fp16-table GELU substituted")


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "assemble":
        for case in CASES:
            assemble(sys.argv[2], sys.argv[3], case)
    elif command == "llama":
        llama(sys.argv[2])
    else:
        compare(sys.argv[2])
