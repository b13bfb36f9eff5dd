#!/usr/bin/env python3
"""PEFT loads adapters written by Pharos (see peft_loads_pharos.sh) and must reproduce Pharos's logits (unmerged) and
Pharos's merged weights (merge_and_unload()), allclose with rtol 1e-5 and atol 1e-5 (logits) / 1e-6 (weights). Prints one line per adapter and exits non-zero on any mismatch."""
import json
import os
import sys

import peft
import torch
from peft import PeftModel
from safetensors.torch import load_file
from transformers import AutoModelForCausalLM

work = sys.argv[1]
print(f"peft {peft.__version__}, torch {torch.__version__}")
failed = False
for name in sorted(d for d in os.listdir(work) if os.path.isdir(os.path.join(work, d, "adapter"))):
    folder = os.path.join(work, name)
    config = json.load(open(os.path.join(folder, "adapter", "adapter_config.json")))
    pharos = load_file(os.path.join(folder, "logits.safetensors"))
    base = AutoModelForCausalLM.from_pretrained(os.path.join(work, "base"), dtype=torch.float32, attn_implementation="eager")
    with torch.no_grad():
        base_logits = base(input_ids=pharos["input_ids"]).logits
    model = PeftModel.from_pretrained(base, os.path.join(folder, "adapter")).eval()
    adapted = sum(1 for n, _ in model.named_modules() if n.endswith(".lora_A"))
    with torch.no_grad():
        logits = model(input_ids=pharos["input_ids"]).logits
    moved = (logits - base_logits).abs().max().item()
    logit_diff = (logits - pharos["logits"]).abs().max().item()
    merged = model.merge_and_unload().state_dict()
    ours = load_file(os.path.join(folder, "merged", "model.safetensors"))
    weight_diff = max((merged[k] - ours[k]).abs().max().item() for k in ours)
    # allclose as the C# tests compare: |Δ| ≤ atol + rtol·|expected| (stories260K's logits reach ~20)
    ok = torch.allclose(pharos["logits"], logits, rtol=1e-5, atol=1e-5) and all(
        torch.allclose(ours[k], merged[k], rtol=1e-5, atol=1e-6) for k in ours)
    failed |= not ok
    print(f"{name}: target_modules={config['target_modules']!r} use_rslora={config['use_rslora']} use_dora={config['use_dora']} "
          f"modules adapted by PEFT={adapted}; adapter moves logits by up to {moved:.2f}; max |logits PEFT − Pharos| = {logit_diff:.2e}; "
          f"max |merge_and_unload − pharos merge| = {weight_diff:.2e} {'OK' if ok else 'MISMATCH'}")
sys.exit(1 if failed else 0)
