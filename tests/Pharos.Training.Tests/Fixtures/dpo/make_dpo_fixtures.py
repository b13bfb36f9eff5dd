# Reference DPO/WPO losses and gradients for Pharos.Training, computed with PyTorch + transformers on CPU in float32,
# written from TRL's formulas (DPOTrainer: sigmoid with label smoothing, ipo on average log-probs, hinge; use_weighting
# = WPO weights exp(mean_t[log p(y_t) - logsumexp(2 log p)]) per completion, product capped at 1, no gradient;
# rpo_alpha = + alpha * mean NLL per chosen token). Each completion is scored in its own unpacked forward pass
# (Pharos packs chosen and rejected into one row with per-document attention, so this also checks that path).
# Reference log-probs are fixed constants so the test isolates the loss and its gradients.
# Usage: chroot /tmp/hfref python3 make_dpo_fixtures.py TINY_LLAMA_DIR OUT_DIR   (torch 2.14, transformers 5.12)
import sys
import torch
import torch.nn.functional as F
from safetensors.torch import save_file
from transformers import AutoModelForCausalLM

src, out = sys.argv[1], sys.argv[2]
g = torch.Generator().manual_seed(5)
V = 300
# (prompt length, chosen length, rejected length)
SHAPES = [(5, 6, 4), (3, 7, 7), (8, 3, 5)]
rec = {}
pairs = []
for i, (p, c, r) in enumerate(SHAPES):
    prompt = torch.randint(3, V, (p,), generator=g)
    chosen = torch.randint(3, V, (c,), generator=g)
    rejected = torch.randint(3, V, (r,), generator=g)
    rec[f"pair{i}.prompt"], rec[f"pair{i}.chosen"], rec[f"pair{i}.rejected"] = prompt, chosen, rejected
    pairs.append((prompt, chosen, rejected))
REF = torch.tensor([[-40.0, -31.5], [-55.25, -52.0], [-20.0, -30.0]])
rec["ref_logps"] = REF
BETA = 0.5

def seq_stats(model, prompt, completion):
    ids = torch.cat([prompt, completion]).unsqueeze(0)
    logits = model(input_ids=ids).logits[0, :-1].float()
    logp = logits.log_softmax(-1)
    tgt = ids[0, 1:]
    picked = logp.gather(1, tgt.unsqueeze(1)).squeeze(1)[len(prompt) - 1:]
    with torch.no_grad():
        adj = (picked - (2 * logp[len(prompt) - 1:]).logsumexp(-1)).mean()
    return picked.sum(), len(completion), adj

CASES = {
    "sigmoid": dict(loss="sigmoid", ls=0.0, wpo=False, rpo=0.0),
    "sigmoid_ls": dict(loss="sigmoid", ls=0.1, wpo=False, rpo=0.0),
    "ipo": dict(loss="ipo", ls=0.0, wpo=False, rpo=0.0),
    "hinge": dict(loss="hinge", ls=0.0, wpo=False, rpo=0.0),
    "wpo_rpo": dict(loss="sigmoid", ls=0.0, wpo=True, rpo=0.5),
}
GRADS = ["lm_head.weight", "model.layers.0.self_attn.q_proj.weight", "model.layers.2.mlp.down_proj.weight"]
for name, cfg in CASES.items():
    model = AutoModelForCausalLM.from_pretrained(src, dtype=torch.float32, attn_implementation="eager")
    losses, weights = [], []
    for i, (prompt, chosen, rejected) in enumerate(pairs):
        pc, nc, ac = seq_stats(model, prompt, chosen)
        pr, nr, ar = seq_stats(model, prompt, rejected)
        rc, rr = REF[i, 0], REF[i, 1]
        if cfg["loss"] == "ipo":
            pc_, pr_, rc_, rr_ = pc / nc, pr / nr, rc / nc, rr / nr
        else:
            pc_, pr_, rc_, rr_ = pc, pr, rc, rr
        logits = (pc_ - pr_) - (rc_ - rr_)
        if cfg["loss"] == "sigmoid":
            l = -F.logsigmoid(BETA * logits) * (1 - cfg["ls"]) - F.logsigmoid(-BETA * logits) * cfg["ls"]
        elif cfg["loss"] == "ipo":
            l = (logits - 1 / (2 * BETA)) ** 2
        else:
            l = torch.relu(1 - BETA * logits)
        if cfg["wpo"]:
            w = torch.clamp(torch.exp(ac + ar), max=1.0)
            weights.append(w)
            l = l * w
        if cfg["rpo"] > 0:
            l = l + cfg["rpo"] * (-pc / nc)
        losses.append(l)
    loss = torch.stack(losses).mean()
    loss.backward()
    params = dict(model.named_parameters())
    rec[f"{name}.loss"] = loss.detach().reshape(1)
    for gname in GRADS:
        rec[f"{name}.grad.{gname}"] = params[gname].grad.detach().clone()
    if weights:
        rec[f"{name}.weights"] = torch.stack(weights).detach()
save_file({k: v.contiguous() for k, v in rec.items()}, f"{out}/dpo_reference.safetensors")
print({k: v.tolist() for k, v in rec.items() if k.endswith(".loss") or k.endswith(".weights")})
