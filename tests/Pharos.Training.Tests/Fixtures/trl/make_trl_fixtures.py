#!/usr/bin/env python3
"""DPO/WPO/RPO and GRPO losses and gradients computed by TRL's own loss code on tiny-llama.

Usage (Debian sid chroot; TRL's and PEFT's sources and the `datasets` stub on PYTHONPATH, see README.md):
    PYTHONPATH=/src/trl:/src/peft/src:STUBS python3 make_trl_fixtures.py TINY_LLAMA_DIR OUT_DIR

The losses are TRL's: DPOTrainer._compute_loss (batches made by TRL's DataCollatorForPreference) and
GRPOTrainer._compute_loss (with its _get_per_token_logps_and_entropies). They are methods of trainers whose
constructors need a datasets.Dataset, so each is called on an object made with cls.__new__ that carries only the
attributes the method reads, set to what the trainer's __init__ would set from the config named in each case (listed in
`bare_dpo` / `bare_grpo`); the accelerator is a real single-process accelerate.Accelerator on the CPU.
"""
import json
import sys
from collections import defaultdict
from types import SimpleNamespace

import torch
import transformers
from accelerate import Accelerator
from safetensors.torch import save_file
from transformers import AutoModelForCausalLM

from trl.trainer.dpo_trainer import DataCollatorForPreference, DPOTrainer
from trl.trainer.grpo_trainer import GRPOTrainer

torch.use_deterministic_algorithms(True)
src, out = sys.argv[1], sys.argv[2]
V = 300
GRADS = ["lm_head.weight", "model.layers.0.self_attn.q_proj.weight", "model.layers.2.mlp.down_proj.weight"]
accelerator = Accelerator(cpu=True)


def load():
    return AutoModelForCausalLM.from_pretrained(src, dtype=torch.float32, attn_implementation="eager")


def grads_of(model, prefix, rec):
    params = dict(model.named_parameters())
    for name in GRADS:
        rec[f"{prefix}.grad.{name}"] = params[name].grad.detach().clone()


# ---------------------------------------------------------------- DPO
def bare_dpo(model, loss_type, beta, label_smoothing=0.0, loss_weights=None, use_weighting=False):
    """DPOTrainer's loss state for DPOConfig(loss_type=..., beta=..., label_smoothing=..., loss_weights=...,
    use_weighting=..., precompute_ref_log_probs=True), everything else at DPOConfig's defaults."""
    t = DPOTrainer.__new__(DPOTrainer)
    t.accelerator = accelerator
    t.model = model
    t.ref_model = None
    t.precompute_ref_logps = True
    t.loss_types = loss_type
    t.loss_weights = loss_weights or [1.0] * len(loss_type)
    t.ld_alpha = None
    t.f_divergence_type = "reverse_kl"
    t.beta = beta
    t.label_smoothing = label_smoothing
    t.use_weighting = use_weighting
    t.aux_loss_enabled = False
    t.args = SimpleNamespace(gradient_checkpointing_kwargs=None, discopop_tau=0.05)
    t._metrics = {"train": defaultdict(list), "eval": defaultdict(list)}
    t._total_train_tokens = 0
    return t


g = torch.Generator().manual_seed(5)
SHAPES = [(5, 6, 4), (3, 7, 7), (8, 3, 5)]  # (prompt, chosen, rejected) lengths
REF = torch.tensor([[-40.0, -31.5], [-55.25, -52.0], [-20.0, -30.0]])  # fixed reference log-probs (chosen, rejected)
rec = {"ref_logps": REF}
examples = []
policy = load()
torch.manual_seed(6)
for i, (p, c, r) in enumerate(SHAPES):
    prompt = torch.randint(3, V, (p,), generator=g)

    def continuation(n, greedy):
        with torch.no_grad():
            return policy.generate(prompt.unsqueeze(0), attention_mask=torch.ones(1, p, dtype=torch.long), do_sample=not greedy,
                                   top_k=0, top_p=1.0, max_new_tokens=n, min_new_tokens=n, eos_token_id=None, pad_token_id=0)[0, p:]
    # Completions the model itself samples, so WPO's weights exp(mean_t[log p(y_t) − log Σ_v p(v)²]) are of order 1
    # (random tokens would give ~1e-3 and vanishing gradients); pair 0's chosen is greedy, so p(y_t) ≥ Σ_v p(v)² and
    # its weight is above 1 (TRL does not cap it).
    chosen, rejected = continuation(c, greedy=i == 0), continuation(r, greedy=False)
    rec[f"pair{i}.prompt"], rec[f"pair{i}.chosen"], rec[f"pair{i}.rejected"] = prompt, chosen, rejected
    examples.append({"prompt_ids": prompt.tolist(), "chosen_ids": chosen.tolist(), "rejected_ids": rejected.tolist(),
                     "ref_chosen_logps": REF[i, 0].item(), "ref_rejected_logps": REF[i, 1].item()})
batch = DataCollatorForPreference(pad_token_id=0).torch_call(examples)

DPO_CASES = {
    "sigmoid": dict(loss_type=["sigmoid"], beta=0.5),
    "robust": dict(loss_type=["robust"], beta=0.5, label_smoothing=0.1),
    "ipo": dict(loss_type=["ipo"], beta=0.5),
    "hinge": dict(loss_type=["hinge"], beta=0.5),
    "rpo": dict(loss_type=["sigmoid", "sft"], loss_weights=[1.0, 0.5], beta=0.5),
    "wpo": dict(loss_type=["sigmoid"], beta=0.5, use_weighting=True),
}
summary = {"torch": torch.__version__, "transformers": transformers.__version__, "dpo": {}, "grpo": {}}
for name, cfg in DPO_CASES.items():
    model = load()
    model.train()
    trainer = bare_dpo(model, **cfg)
    loss = trainer._compute_loss(model, {k: v.clone() for k, v in batch.items()}, return_outputs=False)
    loss.backward()
    rec[f"{name}.loss"] = loss.detach().reshape(1)
    grads_of(model, name, rec)
    metrics = {k: v[-1] for k, v in trainer._metrics["train"].items() if k.startswith(("rewards/", "logps/"))}
    for k, v in metrics.items():
        rec[f"{name}.metric.{k}"] = torch.tensor([v])
    summary["dpo"][name] = {"config": cfg, "loss": loss.item(), **metrics}
    print(name, summary["dpo"][name])

# WPO and RPO together: TRL multiplies every loss term by the WPO weights, and its "sft" term is an expanded scalar,
# so the in-place product fails; the combination cannot be run in TRL at this commit (recorded, not a fixture).
try:
    model = load()
    bare_dpo(model, ["sigmoid", "sft"], 0.5, loss_weights=[1.0, 0.5], use_weighting=True)._compute_loss(model, dict(batch), False)
    summary["dpo"]["wpo_rpo"] = "runs"
except RuntimeError as e:
    summary["dpo"]["wpo_rpo"] = f"TRL raises: {str(e).splitlines()[0]}"
print("wpo_rpo:", summary["dpo"]["wpo_rpo"])


# ---------------------------------------------------------------- GRPO
def bare_grpo(model, loss_type, beta, epsilon, epsilon_high, temperature, max_completion_length):
    """GRPOTrainer's loss state for GRPOConfig(loss_type=..., beta=..., epsilon=..., epsilon_high=...,
    temperature=..., max_completion_length=...), everything else at GRPOConfig's defaults, no vLLM, one process,
    gradient_accumulation_steps 1."""
    t = GRPOTrainer.__new__(GRPOTrainer)
    t.accelerator = accelerator
    t.model = model
    t.model_kwarg_keys = set(__import__("inspect").signature(model.forward).parameters.keys())
    t.temperature = temperature
    t.loss_type = loss_type
    t.beta = beta
    t.epsilon_low = epsilon
    t.epsilon_high = epsilon_high
    t.max_completion_length = max_completion_length
    t.importance_sampling_level = "token"
    t.off_policy_mask_threshold = None
    t.top_entropy_quantile = 1.0
    t.use_vllm = False
    t.vllm_importance_sampling_correction = False
    t.use_liger_kernel = False
    t.aux_loss_enabled = False
    t._entropy_bonus_enabled = False
    t.current_gradient_accumulation_steps = 1
    t.args = SimpleNamespace(use_bias_correction_kl=False, delta=None)
    t._metrics = {"train": defaultdict(list), "eval": defaultdict(list)}
    return t


g = torch.Generator().manual_seed(9)
N, P, C = 6, 5, 6  # 2 prompts × 3 completions; prompts of equal length (see README: TRL's positions ignore left padding)
prompts = torch.randint(3, V, (2, P), generator=g).repeat_interleave(3, dim=0)
lengths = torch.tensor([4, 6, 2, 5, 3, 6])
completion_mask = (torch.arange(C).unsqueeze(0) < lengths.unsqueeze(1)).long()
completion_ids = torch.randint(3, V, (N, C), generator=g) * completion_mask  # padding id 0 after each completion
advantages = torch.tensor([1.2, -0.5, -0.7, 0.9, 0.0, -0.9])
rec_g = {"prompt_ids": prompts, "completion_ids": completion_ids, "completion_mask": completion_mask, "advantages": advantages}
inputs = {"prompt_ids": prompts, "prompt_mask": torch.ones_like(prompts), "completion_ids": completion_ids,
          "completion_mask": completion_mask, "advantages": advantages}
# Old-policy and reference log-probs: the model's own (TRL's function) moved by seeded noise, so ratios leave [1−ε, 1+ε].
for temperature in (1.0, 0.7):
    with torch.no_grad():
        model = load()
        t = bare_grpo(model, "grpo", 0.0, 0.2, 0.2, temperature, C)
        logps, _, _ = t._get_per_token_logps_and_entropies(model, torch.cat([prompts, completion_ids], 1),
                                                         torch.cat([torch.ones_like(prompts), completion_mask], 1), C)
    key = f"t{int(temperature * 10):02d}"
    rec_g[f"{key}.old_logps"] = logps + 0.3 * torch.randn(logps.shape, generator=g)
    rec_g[f"{key}.ref_logps"] = logps + 0.3 * torch.randn(logps.shape, generator=g)

GRPO_CASES = {
    # name: (loss_type, beta, epsilon, epsilon_high, temperature, old log-probs given)
    "grpo": ("grpo", 0.04, 0.2, 0.28, 1.0, True),
    "bnpo": ("bnpo", 0.04, 0.2, 0.28, 1.0, True),
    "dr_grpo": ("dr_grpo", 0.04, 0.2, 0.28, 1.0, True),
    "dapo": ("dapo", 0.04, 0.2, 0.28, 1.0, True),
    "dapo_t07_nokl": ("dapo", 0.0, 0.2, 0.2, 0.7, True),
    "grpo_onpolicy": ("grpo", 0.04, 0.2, 0.2, 1.0, False),
}
for name, (loss_type, beta, eps, eps_high, temperature, with_old) in GRPO_CASES.items():
    model = load()
    model.train()
    key = f"t{int(temperature * 10):02d}"
    case_inputs = dict(inputs)
    if with_old:
        case_inputs["old_per_token_logps"] = rec_g[f"{key}.old_logps"]
    if beta != 0.0:
        case_inputs["ref_per_token_logps"] = rec_g[f"{key}.ref_logps"]
    if loss_type == "dapo":
        case_inputs["num_items_in_batch"] = completion_mask.sum()
    trainer = bare_grpo(model, loss_type, beta, eps, eps_high, temperature, max_completion_length=8)
    loss = trainer._compute_loss(model, case_inputs)
    loss.backward()
    rec_g[f"{name}.loss"] = loss.detach().reshape(1)
    grads_of(model, name, rec_g)
    m = trainer._metrics["train"]
    rec_g[f"{name}.clip_ratio"] = torch.tensor([m["clip_ratio/region_mean"][-1]])
    if beta != 0.0:
        rec_g[f"{name}.kl"] = torch.tensor([m["kl"][-1]])
    summary["grpo"][name] = {"loss_type": loss_type, "beta": beta, "epsilon": eps, "epsilon_high": eps_high,
                             "temperature": temperature, "old_logps": with_old, "max_completion_length": 8,
                             "loss": loss.item(), "clip_ratio": m["clip_ratio/region_mean"][-1],
                             "kl": m["kl"][-1] if beta != 0.0 else None}
    print(name, summary["grpo"][name])

save_file({k: v.contiguous() for k, v in rec.items()}, f"{out}/dpo_reference.safetensors")
save_file({k: v.contiguous() for k, v in rec_g.items()}, f"{out}/grpo_reference.safetensors")
json.dump(summary, open(f"{out}/trl_fixtures.json", "w"), indent=2)
