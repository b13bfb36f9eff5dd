#!/usr/bin/env python3
"""PEFT adapters saved by PEFT itself, with PEFT's logits, gradients and merge_and_unload() weights.

Usage (Debian sid chroot, PEFT's source on PYTHONPATH; see README.md beside this file):
    PYTHONPATH=/src/peft/src python3 make_peft_fixtures.py MODELS_DIR OUT_DIR

MODELS_DIR holds tiny-llama/, tiny-qwen2/, tiny-gemma2/ (tests/Pharos.Models.Tests/Fixtures). For every case below
the script builds the adapter with get_peft_model(), replaces PEFT's initial factors with seeded random values (PEFT
starts with lora_B = 0, which would make every adapter the identity), saves it with save_pretrained(), then RELOADS it
from disk with PeftModel.from_pretrained() and computes every expected value from the reloaded model:

  OUT_DIR/<case>/                       the adapter folder exactly as PEFT saved it
  OUT_DIR/<case>.expected.safetensors   input_ids, logits (eval), loss + grad.<key> (train mode, cross-entropy of the
                                        next token), merged.<param> (merge_and_unload(), every weight that changed),
                                        float32_noise (max |logits − the same model's float64 logits|: how far float32
                                        itself is from exact here, so a test knows what agreement is achievable)
"""
import json
import os
import shutil
import sys

import peft
import torch
import torch.nn.functional as F
import transformers
from peft import LoraConfig, PeftModel, get_peft_model
from safetensors.torch import save_file
from transformers import AutoModelForCausalLM

torch.use_deterministic_algorithms(True)
models_dir, out_dir = sys.argv[1], sys.argv[2]
os.makedirs(out_dir, exist_ok=True)

CASES = {
    # name: (base model, LoraConfig arguments)
    "list": ("tiny-llama", dict(r=4, lora_alpha=8, target_modules=["q_proj", "v_proj", "down_proj"])),
    "regex": ("tiny-qwen2", dict(r=4, lora_alpha=16, target_modules=r".*\.layers\.1\.(self_attn\.(q|k)_proj|mlp\.up_proj)")),
    "all-linear": ("tiny-gemma2", dict(r=2, lora_alpha=4, target_modules="all-linear")),
    "modules-to-save": ("tiny-llama", dict(r=4, lora_alpha=8, target_modules=["q_proj", "o_proj"], modules_to_save=["lm_head"])),
    "rslora": ("tiny-llama", dict(r=8, lora_alpha=16, use_rslora=True, target_modules=["k_proj", "gate_proj", "up_proj"])),
    "dora": ("tiny-qwen2", dict(r=4, lora_alpha=8, use_dora=True, target_modules=["q_proj", "v_proj", "o_proj", "up_proj"])),
}


def load_base(name):
    return AutoModelForCausalLM.from_pretrained(os.path.join(models_dir, name), dtype=torch.float32, attn_implementation="eager")


def randomise(model, seed):
    """Seeded values for every trainable tensor, in named_parameters() order."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if not p.requires_grad:
                continue
            if "lora_magnitude_vector" in name:
                p.mul_(1 + 0.2 * torch.randn(p.shape, generator=g))
            elif "lora_" in name:
                p.copy_(torch.randn(p.shape, generator=g) * 0.1)
            else:  # modules_to_save copies
                p.add_(torch.randn(p.shape, generator=g) * 0.05)


def saved_key(peft_name):
    """PEFT's parameter name → the key save_pretrained writes, without its base_model.model. prefix."""
    k = peft_name.removeprefix("base_model.model.")
    k = k.replace(".lora_magnitude_vector.default.weight", ".lora_magnitude_vector")
    k = k.replace(".default.", ".").replace(".modules_to_save.", ".")
    return k


summary = {"peft": peft.__version__, "torch": torch.__version__, "transformers": transformers.__version__, "cases": {}}
for seed, (case, (base_name, args)) in enumerate(CASES.items(), start=11):
    folder = os.path.join(out_dir, case)
    shutil.rmtree(folder, ignore_errors=True)
    model = get_peft_model(load_base(base_name), LoraConfig(lora_dropout=0.0, **args))
    randomise(model, seed)
    model.save_pretrained(folder)
    os.remove(os.path.join(folder, "README.md"))  # PEFT's empty model-card template; not part of the adapter

    g = torch.Generator().manual_seed(seed + 100)
    ids = torch.randint(3, 300, (2, 12), generator=g)
    rec = {"input_ids": ids}
    base = load_base(base_name)
    base_logits = base(input_ids=ids).logits
    reloaded = PeftModel.from_pretrained(load_base(base_name), folder, is_trainable=True)
    reloaded.eval()
    with torch.no_grad():
        rec["logits"] = reloaded(input_ids=ids).logits
        exact = PeftModel.from_pretrained(load_base(base_name), folder).double().eval()(input_ids=ids).logits
        rec["float32_noise"] = (rec["logits"].double() - exact).abs().max().float().reshape(1)
    reloaded.train()
    logits = reloaded(input_ids=ids).logits
    loss = F.cross_entropy(logits[:, :-1].reshape(-1, logits.shape[-1]), ids[:, 1:].reshape(-1))
    loss.backward()
    rec["loss"] = loss.detach().reshape(1)
    grads = 0
    for name, p in reloaded.named_parameters():
        if p.requires_grad:
            rec["grad." + saved_key(name)] = p.grad.detach().clone()
            grads += 1
    merged = reloaded.merge_and_unload()
    before = dict(base.named_parameters())
    changed = []
    for name, p in merged.named_parameters():
        if not torch.equal(p, before[name]):
            rec["merged." + name] = p.detach().clone()
            changed.append(name)
    save_file({k: v.contiguous() for k, v in rec.items()}, os.path.join(out_dir, f"{case}.expected.safetensors"))
    config = json.load(open(os.path.join(folder, "adapter_config.json")))
    summary["cases"][case] = {
        "base": base_name, "args": args, "saved_target_modules": config["target_modules"], "loss": loss.item(),
        "gradients": grads, "merged_changed": len(changed), "float32_noise": rec["float32_noise"].item(),
        "max_abs_logit_change_vs_base": (rec["logits"] - base_logits).abs().max().item(),
    }
    print(case, summary["cases"][case])

# "all-linear" as the literal string in adapter_config.json: PEFT saves the list it expanded the keyword to, but
# configs written by hand or by other tools keep the keyword, and PEFT expands it again when it loads them.
literal = os.path.join(out_dir, "all-linear-literal")
shutil.rmtree(literal, ignore_errors=True)
shutil.copytree(os.path.join(out_dir, "all-linear"), literal)
cfg_path = os.path.join(literal, "adapter_config.json")
cfg = json.load(open(cfg_path))
cfg["target_modules"] = "all-linear"
json.dump(cfg, open(cfg_path, "w"), indent=2, sort_keys=True)
from safetensors.torch import load_file
ref = load_file(os.path.join(out_dir, "all-linear.expected.safetensors"))
lit = PeftModel.from_pretrained(load_base("tiny-gemma2"), literal).eval()
with torch.no_grad():
    diff = (lit(input_ids=ref["input_ids"]).logits - ref["logits"]).abs().max().item()
assert diff == 0.0, diff
summary["all_linear_literal_max_abs_diff"] = diff
json.dump(summary, open(os.path.join(out_dir, "peft_fixtures.json"), "w"), indent=2)
