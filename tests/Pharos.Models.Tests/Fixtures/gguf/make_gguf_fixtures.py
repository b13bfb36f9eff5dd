#!/usr/bin/env python3
"""What llama.cpp's own converter writes for the folders Pharos exports in GgufExportTests, as JSON the test compares to.

Usage (Debian sid chroot: llama.cpp-tools 0.7.0's convert_hf_to_gguf.py, python3-gguf, torch, transformers):
    python3 make_gguf_fixtures.py REPO_DIR WORK_DIR OUT_DIR

For each case the script assembles the model folder in WORK_DIR exactly as the test assembles it (see `assemble`),
runs /usr/share/doc/llama.cpp-tools/scripts/convert_hf_to_gguf.py on it, reads the result back with gguf-py's
GGUFReader and writes OUT_DIR/<case>.<type>.convert.json: every metadata key with its GGUF type(s) and value, and every
tensor with its ggml type, shape (ggml order) and the SHA-256 of its bytes.
"""
import hashlib
import json
import os
import shutil
import subprocess
import sys

import numpy as np
from gguf import GGUFReader

CONVERT = "/usr/share/doc/llama.cpp-tools/scripts/convert_hf_to_gguf.py"
CASES = [("tiny-llama", "f32"), ("tiny-llama", "q8_0"), ("tiny-qwen2", "f32"), ("tiny-gemma2-q16", "f32"),
         ("stories260K", "f32"), ("stories260K", "q8_0")]


def assemble(repo, work, case):
    """The tiny fixtures have no tokenizer: they get the 300-token one in tokenizer300/. tiny-gemma2-q16 is tiny-gemma2
    with query_pre_attn_scalar = head_dim (16), the only query scale llama.cpp's gemma2 computes for a model this size.
    stories260K gets its sentencepiece model as tokenizer.model, so the converter reads sentencepiece's own scores."""
    models = os.path.join(repo, "tests/Pharos.Models.Tests/Fixtures")
    tokenizer = os.path.join(models, "gguf/tokenizer300")
    folder = os.path.join(work, case)
    shutil.rmtree(folder, ignore_errors=True)
    if case == "stories260K":
        shutil.copytree(os.path.join(repo, "samples/models/stories260K"), folder)
        shutil.copy(os.path.join(folder, "tok512.model"), os.path.join(folder, "tokenizer.model"))
        return folder
    shutil.copytree(os.path.join(models, case.removesuffix("-q16")), folder)
    for f in os.listdir(tokenizer):
        shutil.copy(os.path.join(tokenizer, f), folder)
    if case.endswith("-q16"):
        path = os.path.join(folder, "config.json")
        config = json.load(open(path))
        config["query_pre_attn_scalar"] = config["head_dim"]
        json.dump(config, open(path, "w"), indent=2)
    return folder


def describe(path):
    r = GGUFReader(path)
    metadata = {}
    for key, field in r.fields.items():
        if key.startswith("GGUF."):
            continue
        value = field.contents()
        metadata[key] = {"types": [t.name for t in field.types], "value": value}
    tensors = [{"name": t.name, "type": t.tensor_type.name, "shape": [int(x) for x in t.shape],
                "sha256": hashlib.sha256(np.asarray(t.data).tobytes()).hexdigest()} for t in r.tensors]
    return {"metadata": metadata, "tensors": tensors}


def main():
    repo, work, out = sys.argv[1], sys.argv[2], sys.argv[3]
    os.makedirs(out, exist_ok=True)
    for case, outtype in CASES:
        folder = assemble(repo, work, case)
        gguf = os.path.join(work, f"{case}.{outtype}.convert.gguf")
        subprocess.run([sys.executable, CONVERT, folder, "--outtype", outtype, "--outfile", gguf], check=True, capture_output=True)
        with open(os.path.join(out, f"{case}.{outtype}.convert.json"), "w") as f:
            json.dump(describe(gguf), f, indent=1, ensure_ascii=False)
        print(case, outtype, os.path.getsize(gguf))


if __name__ == "__main__":
    main()
