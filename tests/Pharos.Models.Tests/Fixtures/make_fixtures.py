#!/usr/bin/env python3
"""Generate tiny random HF checkpoints (Llama / Qwen2 / Gemma2) plus reference outputs.

Usage (inside the Debian sid chroot described in README.md):
    python3 make_fixtures.py OUTDIR

Creates in OUTDIR:
    tiny-llama/  tiny-qwen2/  tiny-gemma2/          (pure HF folders, float32 safetensors)
    tiny-<x>.expected.safetensors                   (input_ids, logits, padded_* tensors)
    tiny-<x>.expected.json                          (greedy generation reference)

All expected values are computed from the model *re-loaded from disk* with
from_pretrained(..., dtype=float32, attn_implementation="eager"), in eval mode, on CPU.
"""
import json
import os
import shutil
import sys

import torch
from safetensors.torch import save_file, load_file

import transformers
from transformers import (
    Gemma2Config,
    Gemma2ForCausalLM,
    GenerationConfig,
    LlamaConfig,
    LlamaForCausalLM,
    Qwen2Config,
    Qwen2ForCausalLM,
)

torch.use_deterministic_algorithms(True)

VOCAB = 300
SEQ = 20
PAD = 0
N_PAD = 6
MAX_NEW = 16
COMMON = dict(
    vocab_size=VOCAB,
    hidden_size=64,
    intermediate_size=128,
    num_attention_heads=4,
    num_key_value_heads=2,
    bos_token_id=1,
    eos_token_id=2,
    pad_token_id=PAD,
    dtype="float32",
)


def llama_config():
    return LlamaConfig(
        **COMMON,
        num_hidden_layers=3,
        head_dim=16,
        tie_word_embeddings=False,
        rms_norm_eps=1e-5,
        max_position_embeddings=128,
        rope_parameters={
            "rope_type": "llama3",
            "rope_theta": 10000.0,
            "factor": 8.0,
            "low_freq_factor": 1.0,
            "high_freq_factor": 4.0,
            # 32 (not 16) so that, with head_dim 16 / theta 1e4, the 8 frequencies fall in all
            # three llama3 regimes: i=0 wavelen 6.28 < 8 (kept), i=1 wavelen 19.9 in [8,32]
            # (smoothed), i>=2 wavelen > 32 (divided by factor).
            "original_max_position_embeddings": 32,
        },
    )


def qwen2_config():
    return Qwen2Config(
        **COMMON,
        num_hidden_layers=2,
        tie_word_embeddings=True,
        rms_norm_eps=1e-6,
        max_position_embeddings=128,
        rope_parameters={"rope_type": "default", "rope_theta": 1000000.0},
    )


def gemma2_config():
    return Gemma2Config(
        **COMMON,
        num_hidden_layers=3,
        head_dim=16,
        query_pre_attn_scalar=24,
        attn_logit_softcapping=50.0,
        final_logit_softcapping=30.0,
        sliding_window=8,
        hidden_activation="gelu_pytorch_tanh",
        tie_word_embeddings=True,
        rms_norm_eps=1e-6,
        max_position_embeddings=128,
        rope_parameters={"rope_type": "default", "rope_theta": 10000.0},
    )


MODELS = [
    # name, config fn, class, seed
    ("tiny-llama", llama_config, LlamaForCausalLM, 1001),
    ("tiny-qwen2", qwen2_config, Qwen2ForCausalLM, 2002),
    ("tiny-gemma2", gemma2_config, Gemma2ForCausalLM, 3003),
]


def init_rule(model_name, param_name):
    """(mean, std) of the normal distribution used to re-initialise one parameter."""
    n = param_name
    if model_name != "tiny-gemma2":
        if "norm" in n:
            return 1.0, 0.1  # Llama/Qwen2 RMSNorm: y = w * x_hat
        if n.endswith(".bias"):
            return 0.0, 0.1
        return 0.0, 0.2
    # Gemma2 RMSNorm is y = (1 + w) * x_hat, so w ~ N(0, 0.1) is the "neutral" choice. Deviations from the
    # plain N(0, 0.2) recipe (all deliberate, see README):
    #  * embed_tokens std 0.1: the embedding is multiplied by sqrt(64)=8 and is tied to the LM head; with std 0.2
    #    the scaled input embedding dominates the residual stream and greedy decoding just repeats the last token.
    #  * q_proj/k_proj std 0.4: attention scores get large enough that attn_logit_softcapping=50 visibly matters.
    #  * post_attention/post_feedforward norms w ~ N(1, 0.1) (gain ~2) so the layers outweigh the embedding.
    #  * final norm w ~ N(2, 0.1) (gain ~3): logits reach ~9, so final_logit_softcapping=30 visibly matters.
    if n == "model.norm.weight":
        return 2.0, 0.1
    if "post_attention_layernorm" in n or "post_feedforward_layernorm" in n:
        return 1.0, 0.1
    if "norm" in n:
        return 0.0, 0.1
    if "embed_tokens" in n:
        return 0.0, 0.1
    if "q_proj" in n or "k_proj" in n:
        return 0.0, 0.4
    return 0.0, 0.2


@torch.no_grad()
def reinit(model, model_name, seed):
    g = torch.Generator().manual_seed(seed)
    for name, p in model.named_parameters():  # named_parameters() de-duplicates tied weights
        mean, std = init_rule(model_name, name)
        p.copy_(mean + std * torch.randn(p.shape, generator=g, dtype=torch.float32))


def load(cls, path, **overrides):
    cfg = cls.config_class.from_pretrained(path, **overrides)
    return cls.from_pretrained(path, config=cfg, dtype=torch.float32, attn_implementation="eager").eval()


@torch.no_grad()
def manual_greedy(model, ids, mask, n_new):
    """No-KV-cache greedy loop (full recompute every step), positions from the mask.
    Returns new tokens and the min top1-top2 logit margin along the path."""
    ids, mask = ids.clone(), mask.clone()
    new, margins = [], []
    for _ in range(n_new):
        pos = (mask.cumsum(-1) - 1).clamp(min=0)
        logits = model(input_ids=ids, attention_mask=mask, position_ids=pos, use_cache=False).logits[:, -1, :]
        top2 = logits.topk(2, dim=-1).values
        margins.append((top2[:, 0] - top2[:, 1]).min().item())
        nxt = logits.argmax(-1, keepdim=True)
        new.append(nxt)
        ids = torch.cat([ids, nxt], dim=-1)
        mask = torch.cat([mask, torch.ones_like(nxt)], dim=-1)
    return torch.cat(new, dim=-1), min(margins)


def write_v4_style_config(cls, folder, outdir, name, input_ids, logits):
    """Same config in the transformers 4.x style (top-level rope_theta + rope_scaling), for loader tests.
    Verified here: transformers 5 loads it and reproduces `logits` exactly."""
    with open(os.path.join(folder, "config.json")) as f:
        c = json.load(f)
    rp = dict(c.pop("rope_parameters"))
    c["rope_theta"] = rp.pop("rope_theta")
    c["rope_scaling"] = rp  # keeps "rope_type": "llama3" + factor/low/high/original_max_position_embeddings
    path = os.path.join(outdir, f"{name}.config-v4-style.json")
    with open(path, "w") as f:
        json.dump(c, f, indent=2, sort_keys=True)
    tmp = os.path.join(outdir, "_v4_tmp")
    os.makedirs(tmp, exist_ok=True)
    shutil.copy(path, os.path.join(tmp, "config.json"))
    shutil.copy(os.path.join(folder, "model.safetensors"), os.path.join(tmp, "model.safetensors"))
    mv = load(cls, tmp)
    with torch.no_grad():
        lv = mv(input_ids=input_ids, use_cache=False).logits.float()
    assert torch.equal(lv, logits), (lv - logits).abs().max()
    shutil.rmtree(tmp)


def main(outdir):
    os.makedirs(outdir, exist_ok=True)
    torch.manual_seed(0)
    for name, cfg_fn, cls, seed in MODELS:
        print(f"=== {name}")
        cfg = cfg_fn()
        torch.manual_seed(seed)
        model = cls(cfg)
        reinit(model, name, seed)
        model.eval()
        folder = os.path.join(outdir, name)
        model.save_pretrained(folder, safe_serialization=True)

        # Re-load from disk: expected values come from what the C# side will load.
        m = load(cls, folder)
        m.generation_config.eos_token_id = None  # never stop early (generate() would otherwise fall back to eos=2)
        sd_ref = model.state_dict()
        for k, v in m.state_dict().items():
            assert torch.equal(v, sd_ref[k]), k
        file_keys = sorted(load_file(os.path.join(folder, "model.safetensors")).keys())

        g = torch.Generator().manual_seed(seed + 1)
        input_ids = torch.randint(3, VOCAB, (2, SEQ), generator=g, dtype=torch.int64)

        with torch.no_grad():
            logits = m(input_ids=input_ids, use_cache=False).logits.float()
            logits_cache = m(input_ids=input_ids).logits.float()  # default use_cache=True path
            assert torch.allclose(logits, logits_cache, atol=1e-5), (logits - logits_cache).abs().max()

            # Left-padded batch: row 0 unchanged; row 1 = 6 pads then the first 14 tokens of input_ids[1].
            padded_ids = input_ids.clone()
            padded_ids[1] = torch.cat([torch.full((N_PAD,), PAD, dtype=torch.int64), input_ids[1, : SEQ - N_PAD]])
            padded_mask = torch.ones_like(padded_ids)
            padded_mask[1, :N_PAD] = 0
            position_ids = (padded_mask.cumsum(-1) - 1).clamp(min=0)
            padded_logits = m(
                input_ids=padded_ids, attention_mask=padded_mask, position_ids=position_ids, use_cache=False
            ).logits.float()
            shift_diff = (padded_logits[1, N_PAD:] - logits[1, : SEQ - N_PAD]).abs().max().item()
            row0_diff = (padded_logits[0] - logits[0]).abs().max().item()

        save_file(
            {
                "input_ids": input_ids.contiguous(),
                "logits": logits.contiguous(),
                "padded_input_ids": padded_ids.contiguous(),
                "padded_attention_mask": padded_mask.contiguous(),
                "padded_position_ids": position_ids.contiguous(),
                "padded_logits": padded_logits.contiguous(),
            },
            os.path.join(outdir, f"{name}.expected.safetensors"),
        )

        # ---- greedy generation
        gp = torch.Generator().manual_seed(seed + 2)
        prompts = [torch.randint(3, VOCAB, (n,), generator=gp).tolist() for n in (5, 9)]
        gen_cfg = GenerationConfig(
            do_sample=False, max_new_tokens=MAX_NEW, eos_token_id=None, pad_token_id=PAD, bos_token_id=1
        )
        greedy, greedy_nocache, margins = [], [], []
        for p in prompts:
            ids = torch.tensor([p])
            out = m.generate(ids, attention_mask=torch.ones_like(ids), generation_config=gen_cfg)
            assert out.shape[1] == len(p) + MAX_NEW
            new = out[0, len(p):].tolist()
            assert len(new) == MAX_NEW
            greedy.append(new)
            man, margin = manual_greedy(m, ids, torch.ones_like(ids), MAX_NEW)
            greedy_nocache.append(man[0].tolist())
            margins.append(margin)

        L = max(len(p) for p in prompts)
        b_ids = torch.full((len(prompts), L), PAD, dtype=torch.int64)
        b_mask = torch.zeros((len(prompts), L), dtype=torch.int64)
        for i, p in enumerate(prompts):
            b_ids[i, L - len(p):] = torch.tensor(p)
            b_mask[i, L - len(p):] = 1
        out = m.generate(b_ids, attention_mask=b_mask, generation_config=gen_cfg)
        assert out.shape[1] == L + MAX_NEW
        greedy_batched = out[:, L:].tolist()
        man_b, margin_b = manual_greedy(m, b_ids, b_mask, MAX_NEW)

        # ---- sensitivity: how much the logits move if a feature is dropped (same weights)
        sens = {}
        variants = {}
        if name == "tiny-llama":
            variants["rope_type_default_instead_of_llama3"] = dict(
                rope_parameters={"rope_type": "default", "rope_theta": 10000.0}
            )
        if name == "tiny-gemma2":
            variants["no_attn_logit_softcapping"] = dict(attn_logit_softcapping=None)
            variants["no_final_logit_softcapping"] = dict(final_logit_softcapping=None)
            variants["no_sliding_window_all_full_attention"] = dict(layer_types=["full_attention"] * 3)
            variants["query_pre_attn_scalar_eq_head_dim_16"] = dict(query_pre_attn_scalar=16)
        for vname, ov in variants.items():
            mv = load(cls, folder, **ov)
            with torch.no_grad():
                lv = mv(input_ids=input_ids, use_cache=False).logits.float()
            sens[vname] = (lv - logits).abs().max().item()
        if name == "tiny-qwen2":
            mv = load(cls, folder)
            with torch.no_grad():
                for n_, p_ in mv.named_parameters():
                    if n_.endswith(".bias"):
                        p_.zero_()
                lv = mv(input_ids=input_ids, use_cache=False).logits.float()
            sens["qkv_biases_zeroed"] = (lv - logits).abs().max().item()

        info = {
            "model": name,
            "transformers": transformers.__version__,
            "torch": torch.__version__,
            "attn_implementation": "eager",
            "dtype": "float32",
            "pad_token_id": PAD,
            "prompt_ids": prompts,
            "max_new_tokens": MAX_NEW,
            "greedy": greedy,
            "greedy_batched": greedy_batched,
            "greedy_batched_input_ids": b_ids.tolist(),
            "greedy_batched_attention_mask": b_mask.tolist(),
            "batched_equals_unbatched": greedy_batched == greedy,
            "hf_generate_equals_no_cache_full_recompute": greedy_nocache == greedy
            and man_b.tolist() == greedy_batched,
            "min_top1_top2_logit_margin_along_greedy_paths": min(margins + [margin_b]),
            "check_padded_row1_real_positions_vs_unpadded_max_abs_diff": shift_diff,
            "check_padded_row0_vs_unpadded_max_abs_diff": row0_diff,
            "logits_abs_max": logits.abs().max().item(),
            "logits_std": logits.std().item(),
            "sensitivity_max_abs_logit_delta_if_feature_dropped": sens,
            "safetensors_keys": file_keys,
        }
        if name == "tiny-llama":
            write_v4_style_config(cls, folder, outdir, name, input_ids, logits)
        with open(os.path.join(outdir, f"{name}.expected.json"), "w") as f:
            json.dump(info, f, indent=1)
        print(json.dumps({k: v for k, v in info.items() if k != "safetensors_keys"}, indent=None)[:3000])


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__)))
