#!/usr/bin/env python3
"""Convert Karpathy's llama2.c `stories260K.bin` (legacy export format) into a Hugging Face
LlamaForCausalLM folder, and write reference outputs.

Usage (inside the Debian sid chroot described in README.md):
    python3 convert_stories260k.py SRC_DIR OUT_DIR

SRC_DIR must contain stories260K.bin and tok512.model (from github.com/icppWorld/icpp_llm,
llama2_c/stories260K/). Writes:
    OUT_DIR/stories260K/                 config.json, generation_config.json, model.safetensors,
                                         tokenizer.json, tokenizer_config.json, tok512.model
    OUT_DIR/stories260K.expected.json    greedy generation from BOS
    OUT_DIR/stories260K.expected.safetensors   input_ids [1,32] + logits [1,32,512]

The conversion is cross-checked against an independent numpy re-implementation of llama2.c's
run.c forward pass (interleaved-pair RoPE on the *unpermuted* weights).
"""
import json
import os
import shutil
import struct
import sys

import numpy as np
import torch
from safetensors.torch import save_file

import transformers
from transformers import AutoTokenizer, GenerationConfig, LlamaConfig, LlamaForCausalLM, LlamaTokenizer

N_NEW = 60
N_LOGITS = 32


def read_llama2c(path):
    raw = open(path, "rb").read()
    dim, hidden, n_layers, n_heads, n_kv_heads, vocab, seq_len = struct.unpack("7i", raw[:28])
    shared = vocab > 0
    vocab = abs(vocab)
    cfg = dict(dim=dim, hidden_dim=hidden, n_layers=n_layers, n_heads=n_heads, n_kv_heads=n_kv_heads,
               vocab_size=vocab, seq_len=seq_len, shared_classifier=shared)
    head = dim // n_heads
    kv_dim = n_kv_heads * head
    data = np.frombuffer(raw, dtype="<f4", offset=28)
    off = 0

    def take(*shape):
        nonlocal off
        n = int(np.prod(shape))
        a = data[off:off + n].reshape(shape).copy()
        off += n
        return a

    w = {}
    w["tok_emb"] = take(vocab, dim)
    w["rms_att"] = take(n_layers, dim)
    w["wq"] = take(n_layers, dim, dim)          # [out, in]
    w["wk"] = take(n_layers, kv_dim, dim)
    w["wv"] = take(n_layers, kv_dim, dim)
    w["wo"] = take(n_layers, dim, dim)
    w["rms_ffn"] = take(n_layers, dim)
    w["w1"] = take(n_layers, hidden, dim)
    w["w2"] = take(n_layers, dim, hidden)
    w["w3"] = take(n_layers, hidden, dim)
    w["rms_final"] = take(dim)
    w["freq_cis_real"] = take(seq_len, head // 2)  # unused (legacy)
    w["freq_cis_imag"] = take(seq_len, head // 2)
    if not shared:
        w["wcls"] = take(vocab, dim)
    assert off == data.size, (off, data.size)
    return cfg, w


def permute_for_rotate_half(wt, n_heads, dim_in):
    """llama2.c rotates interleaved pairs (2i, 2i+1); HF rotates halves (i, i+head/2).
    Reorder each head's output rows so that HF's rotate_half sees the same pairs."""
    dim_out = wt.shape[0]
    head = dim_out // n_heads
    return wt.reshape(n_heads, head // 2, 2, dim_in).transpose(0, 2, 1, 3).reshape(dim_out, dim_in)


def llama2c_reference_logits(cfg, w, tokens):
    """Independent float64 numpy port of llama2.c run.c `forward` (token by token with KV cache)."""
    dim, hid, L = cfg["dim"], cfg["hidden_dim"], cfg["n_layers"]
    nh, nkv = cfg["n_heads"], cfg["n_kv_heads"]
    hs = dim // nh
    kv_mul = nh // nkv
    f = {k: v.astype(np.float64) for k, v in w.items()}
    wcls = f["tok_emb"] if cfg["shared_classifier"] else f["wcls"]

    def rmsnorm(x, g):
        return g * (x / np.sqrt(np.mean(x * x) + 1e-5))

    kc = np.zeros((L, len(tokens), nkv * hs))
    vc = np.zeros((L, len(tokens), nkv * hs))
    out = []
    for pos, tok in enumerate(tokens):
        x = f["tok_emb"][tok].copy()
        for l in range(L):
            xb = rmsnorm(x, f["rms_att"][l])
            q = f["wq"][l] @ xb
            k = f["wk"][l] @ xb
            v = f["wv"][l] @ xb
            for i in range(0, dim, 2):
                freq = 1.0 / 10000.0 ** ((i % hs) / hs)
                c, s = np.cos(pos * freq), np.sin(pos * freq)
                for vec in ((q, k) if i < nkv * hs else (q,)):
                    v0, v1 = vec[i], vec[i + 1]
                    vec[i], vec[i + 1] = v0 * c - v1 * s, v0 * s + v1 * c
            kc[l, pos], vc[l, pos] = k, v
            att_out = np.zeros(dim)
            for h in range(nh):
                qh = q[h * hs:(h + 1) * hs]
                kvh = h // kv_mul
                keys = kc[l, :pos + 1, kvh * hs:(kvh + 1) * hs]
                sc = keys @ qh / np.sqrt(hs)
                sc = np.exp(sc - sc.max())
                sc /= sc.sum()
                att_out[h * hs:(h + 1) * hs] = sc @ vc[l, :pos + 1, kvh * hs:(kvh + 1) * hs]
            x = x + f["wo"][l] @ att_out
            xb = rmsnorm(x, f["rms_ffn"][l])
            h1 = f["w1"][l] @ xb
            h3 = f["w3"][l] @ xb
            x = x + f["w2"][l] @ ((h1 / (1 + np.exp(-h1))) * h3)
        x = rmsnorm(x, f["rms_final"])
        out.append(wcls @ x)
    return np.stack(out)


def main(src, outdir):
    cfg, w = read_llama2c(os.path.join(src, "stories260K.bin"))
    print("llama2.c header:", cfg)
    dim, nh, nkv, L = cfg["dim"], cfg["n_heads"], cfg["n_kv_heads"], cfg["n_layers"]
    head = dim // nh

    # Sanity check of the layout: the legacy freq_cis tables must match RoPE with theta 10000.
    pos = np.arange(cfg["seq_len"])[:, None]
    freqs = 1.0 / 10000.0 ** (np.arange(0, head, 2)[None, :] / head)
    assert np.allclose(w["freq_cis_real"], np.cos(pos * freqs), atol=1e-4)
    assert np.allclose(w["freq_cis_imag"], np.sin(pos * freqs), atol=1e-4)

    hf_cfg = LlamaConfig(
        vocab_size=cfg["vocab_size"],
        hidden_size=dim,
        intermediate_size=cfg["hidden_dim"],
        num_hidden_layers=L,
        num_attention_heads=nh,
        num_key_value_heads=nkv,
        head_dim=head,
        hidden_act="silu",
        max_position_embeddings=cfg["seq_len"],
        rms_norm_eps=1e-5,
        rope_parameters={"rope_type": "default", "rope_theta": 10000.0},
        tie_word_embeddings=cfg["shared_classifier"],
        bos_token_id=1,
        eos_token_id=2,
        dtype="float32",
    )
    sd = {"model.embed_tokens.weight": w["tok_emb"], "model.norm.weight": w["rms_final"]}
    for l in range(L):
        p = f"model.layers.{l}."
        sd[p + "input_layernorm.weight"] = w["rms_att"][l]
        sd[p + "post_attention_layernorm.weight"] = w["rms_ffn"][l]
        sd[p + "self_attn.q_proj.weight"] = permute_for_rotate_half(w["wq"][l], nh, dim)
        sd[p + "self_attn.k_proj.weight"] = permute_for_rotate_half(w["wk"][l], nkv, dim)
        sd[p + "self_attn.v_proj.weight"] = w["wv"][l]
        sd[p + "self_attn.o_proj.weight"] = w["wo"][l]
        sd[p + "mlp.gate_proj.weight"] = w["w1"][l]
        sd[p + "mlp.down_proj.weight"] = w["w2"][l]
        sd[p + "mlp.up_proj.weight"] = w["w3"][l]
    if not cfg["shared_classifier"]:
        sd["lm_head.weight"] = w["wcls"]
    sd = {k: torch.from_numpy(np.ascontiguousarray(v)) for k, v in sd.items()}

    model = LlamaForCausalLM(hf_cfg)
    missing, unexpected = model.load_state_dict(sd, strict=False)
    assert not unexpected, unexpected
    assert set(missing) <= {"lm_head.weight"}, missing
    model.eval()
    folder = os.path.join(outdir, "stories260K")
    model.save_pretrained(folder, safe_serialization=True)

    # Tokenizer: HF converts the sentencepiece model when it is named tokenizer.model.
    # (In transformers 5, LlamaTokenizer(vocab_file=...) silently ignores the file -> 3-token vocab.)
    tmp = os.path.join(outdir, "_tok_tmp")
    os.makedirs(tmp, exist_ok=True)
    shutil.copy(os.path.join(src, "tok512.model"), os.path.join(tmp, "tokenizer.model"))
    tok = LlamaTokenizer.from_pretrained(tmp, add_bos_token=True, add_eos_token=False)
    shutil.rmtree(tmp)
    assert len(tok) == cfg["vocab_size"]
    tok.save_pretrained(folder)
    shutil.copy(os.path.join(src, "tok512.model"), os.path.join(folder, "tok512.model"))

    # Reload everything from disk.
    m = LlamaForCausalLM.from_pretrained(folder, dtype=torch.float32, attn_implementation="eager").eval()
    m.generation_config.eos_token_id = None  # never stop early
    tok = AutoTokenizer.from_pretrained(folder)

    import sentencepiece as spm
    sp = spm.SentencePieceProcessor(model_file=os.path.join(src, "tok512.model"))
    for s in ["Once upon a time, there was a little girl named Lily.", "Tom and Sue went to the park. They saw a big dog!"]:
        assert tok.encode(s) == [1] + sp.encode(s), s

    gen_cfg = GenerationConfig(do_sample=False, max_new_tokens=N_NEW, eos_token_id=None, pad_token_id=0)
    bos = torch.tensor([[1]])
    out = m.generate(bos, attention_mask=torch.ones_like(bos), generation_config=gen_cfg)
    assert out.shape[1] == 1 + N_NEW
    new_ids = out[0, 1:].tolist()
    text = tok.decode(new_ids, skip_special_tokens=True)
    print("greedy:", repr(text))

    input_ids = out[:, :N_LOGITS].clone()
    with torch.no_grad():
        logits = m(input_ids=input_ids, use_cache=False).logits.float()
        # margins along the whole greedy path (no-cache full recompute)
        full = m(input_ids=out[:, :-1], use_cache=False).logits.float()[0]
    assert full.argmax(-1).tolist() == new_ids, "generate() disagrees with full-recompute argmax"
    top2 = full.topk(2, dim=-1).values
    min_margin = (top2[:, 0] - top2[:, 1]).min().item()

    ref = llama2c_reference_logits(cfg, w, input_ids[0].tolist())
    ref_diff = float(np.abs(ref - logits[0].double().numpy()).max())
    print("max |HF - llama2.c numpy reference| over logits:", ref_diff)
    assert ref_diff < 1e-3, ref_diff

    save_file({"input_ids": input_ids.contiguous(), "logits": logits.contiguous()},
              os.path.join(outdir, "stories260K.expected.safetensors"))
    info = {
        "model": "stories260K",
        "transformers": transformers.__version__,
        "torch": torch.__version__,
        "attn_implementation": "eager",
        "dtype": "float32",
        "llama2c_header": cfg,
        "prompt_ids": [1],
        "max_new_tokens": N_NEW,
        "eos_token_id_during_generation": None,
        "greedy": new_ids,
        "greedy_text": text,
        "greedy_text_with_prompt": tok.decode(out[0].tolist(), skip_special_tokens=True),
        "min_top1_top2_logit_margin_along_greedy_path": min_margin,
        "logits_input": "input_ids = [BOS] + first 31 greedy tokens, position_ids 0..31, no mask",
        "max_abs_diff_vs_independent_llama2c_numpy_forward": ref_diff,
        "tokenizer_checks": {
            s: tok.encode(s) for s in ["Once upon a time", "Lily and Tom played with a ball."]
        },
    }
    with open(os.path.join(outdir, "stories260K.expected.json"), "w") as fh:
        json.dump(info, fh, indent=1)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
