# Reference training steps for Pharos.Training, computed with PyTorch + transformers on CPU in float32.
# Full fine-tuning and LoRA (written by hand: no peft here) on tests/Pharos.Models.Tests/Fixtures/tiny-llama:
# 2 optimizer steps, each accumulating 2 micro-batches of 2 rows; loss = token cross-entropy summed over the
# assistant-only targets of the whole step / the step's target count; clip_grad_norm_(0.5); AdamW(lr 1e-2,
# betas .9/.999, eps 1e-4, weight decay 0.1 on ≥2-D tensors only). Writes training_reference.safetensors.
# Usage: python3 make_training_fixtures.py TINY_LLAMA_DIR OUT_DIR
import json, sys
import torch
from safetensors.torch import save_file
from transformers import AutoModelForCausalLM

torch.manual_seed(0)
src, out = sys.argv[1], sys.argv[2]
B, T, V = 4, 16, 300
ids = torch.randint(3, V, (B, T), generator=torch.Generator().manual_seed(1))
# Assistant-only targets: a "prompt" of 4–9 tokens per row carries no loss, the rest does.
targets = torch.zeros(B, T, dtype=torch.bool)
for b, p in enumerate([4, 6, 9, 5]):
    targets[b, p:] = True
# eps 1e-4 (not 1e-8): some gradient entries are ~0 up to float noise in any implementation, and with eps 1e-8 Adam's
# first update m/(sqrt(v)+eps) turns that noise into ±lr; a larger eps keeps the comparison about the arithmetic.
LR, WD, CLIP, LORA_R, LORA_ALPHA, EPS = 1e-2, 0.1, 0.5, 4, 8.0, 1e-4
TARGETS = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]

def load():
    return AutoModelForCausalLM.from_pretrained(src, dtype=torch.float32, attn_implementation="eager")

def step_loss(model, rows):
    """Sum of next-token CE over targets of these rows (labels shifted as transformers does)."""
    logits = model(input_ids=ids[rows]).logits.float()
    labels = torch.where(targets[rows], ids[rows], torch.full_like(ids[rows], -100))
    return torch.nn.functional.cross_entropy(logits[:, :-1].reshape(-1, V), labels[:, 1:].reshape(-1), ignore_index=-100, reduction="sum")

def units(rows):
    return int(targets[rows][:, 1:].sum())

# Each step sees all 4 rows (micro-batches {0,1} and {2,3}); the C# test feeds the same 4 rows each step.
MICRO = [[0, 1], [2, 3]]

def train(model, params, opt, record):
    for step in range(2):
        total = sum(units(m) for m in MICRO)
        loss_sum = 0.0
        for m in MICRO:
            l = step_loss(model, m)
            (l / total).backward()
            loss_sum += l.item()
        record[f"step{step}.loss"] = torch.tensor([loss_sum / total])
        if step == 0:
            for n, p in params:
                record[f"step0.grad.{n}"] = p.grad.detach().clone()
        norm = torch.nn.utils.clip_grad_norm_([p for _, p in params], CLIP)
        record[f"step{step}.grad_norm"] = torch.tensor([float(norm)])
        opt.step()
        opt.zero_grad()
    for n, p in params:
        record[f"final.{n}"] = p.detach().clone()

def adamw(params):
    decay = [p for n, p in params if p.dim() >= 2]
    no_decay = [p for n, p in params if p.dim() < 2]
    return torch.optim.AdamW([{"params": decay, "weight_decay": WD}, {"params": no_decay, "weight_decay": 0.0}],
                             lr=LR, betas=(0.9, 0.999), eps=EPS, foreach=False)

record = {"ids": ids, "targets": targets.to(torch.uint8)}

# Full fine-tuning.
model = load(); model.train()
params = [(n, p) for n, p in model.named_parameters()]
full = {}
train(model, params, adamw(params), full)
record.update({"full." + k: v for k, v in full.items()})

# LoRA by hand, as PEFT computes it: y = base(x) + lora_B(lora_A(x)) * alpha/r (dropout 0); B starts non-zero here
# so that step 0 has gradients on both factors.
class LoraLinear(torch.nn.Module):
    def __init__(self, base, name, g):
        super().__init__()
        self.base = base
        self.lora_A = torch.nn.Linear(base.in_features, LORA_R, bias=False)
        self.lora_B = torch.nn.Linear(LORA_R, base.out_features, bias=False)
        with torch.no_grad():
            self.lora_A.weight.copy_(torch.randn(self.lora_A.weight.shape, generator=g) * 0.1)
            self.lora_B.weight.copy_(torch.randn(self.lora_B.weight.shape, generator=g) * 0.05)
        record[f"lora.init.{name}.lora_A.weight"] = self.lora_A.weight.detach().clone()
        record[f"lora.init.{name}.lora_B.weight"] = self.lora_B.weight.detach().clone()
    def forward(self, x):
        return self.base(x) + self.lora_B(self.lora_A(x)) * (LORA_ALPHA / LORA_R)

model = load(); model.train()
for p in model.parameters():
    p.requires_grad_(False)
g = torch.Generator().manual_seed(2)
for name, module in list(model.named_modules()):
    for child_name, child in list(module.named_children()):
        if child_name in TARGETS and isinstance(child, torch.nn.Linear):
            setattr(module, child_name, LoraLinear(child, f"{name}.{child_name}", g))
params = [(n.replace(".base", ""), p) for n, p in model.named_parameters() if p.requires_grad]
lora = {}
train(model, params, adamw(params), lora)
record.update({"lora." + k: v for k, v in lora.items()})

save_file({k: v.contiguous() for k, v in record.items()}, f"{out}/training_reference.safetensors", metadata={"format": "pt"})
json.dump({"torch": torch.__version__, "transformers": __import__("transformers").__version__, "lr": LR, "eps": EPS, "weight_decay": WD,
           "clip": CLIP, "lora_r": LORA_R, "lora_alpha": LORA_ALPHA, "micro_batches": MICRO,
           "full_losses": [float(full["step0.loss"]), float(full["step1.loss"])],
           "lora_losses": [float(lora["step0.loss"]), float(lora["step1.loss"])],
           "full_grad_norms": [float(full["step0.grad_norm"]), float(full["step1.grad_norm"])],
           "lora_grad_norms": [float(lora["step0.grad_norm"]), float(lora["step1.grad_norm"])]},
          open(f"{out}/training_reference.json", "w"), indent=2)
print(open(f"{out}/training_reference.json").read())
