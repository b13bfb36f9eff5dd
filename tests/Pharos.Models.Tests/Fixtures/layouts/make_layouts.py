# Writes the Hugging Face parameter layout (name, shape) of real model sizes, built by transformers on the meta device.
# Run once inside the Debian sid chroot (see ../README.md): python3 make_layouts.py OUTDIR
import json, sys, torch, transformers
from transformers import AutoConfig, AutoModelForCausalLM, LlamaConfig, Qwen2Config, Gemma2Config

out = sys.argv[1]
configs = {
    "llama3-8b": LlamaConfig(vocab_size=128256, hidden_size=4096, intermediate_size=14336, num_hidden_layers=32,
        num_attention_heads=32, num_key_value_heads=8, max_position_embeddings=8192, rope_theta=500000.0,
        rms_norm_eps=1e-5, tie_word_embeddings=False, bos_token_id=128000, eos_token_id=128001),
    "llama3.1-70b": LlamaConfig(vocab_size=128256, hidden_size=8192, intermediate_size=28672, num_hidden_layers=80,
        num_attention_heads=64, num_key_value_heads=8, max_position_embeddings=131072, rope_theta=500000.0,
        rope_scaling={"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                      "original_max_position_embeddings": 8192},
        rms_norm_eps=1e-5, tie_word_embeddings=False),
    "qwen2.5-72b": Qwen2Config(vocab_size=152064, hidden_size=8192, intermediate_size=29568, num_hidden_layers=80,
        num_attention_heads=64, num_key_value_heads=8, max_position_embeddings=32768, rope_theta=1000000.0,
        rms_norm_eps=1e-6, tie_word_embeddings=False),
    "gemma2-2b": Gemma2Config(vocab_size=256000, hidden_size=2304, intermediate_size=9216, num_hidden_layers=26,
        num_attention_heads=8, num_key_value_heads=4, head_dim=256, query_pre_attn_scalar=256, sliding_window=4096),
    "gemma2-9b": Gemma2Config(vocab_size=256000, hidden_size=3584, intermediate_size=14336, num_hidden_layers=42,
        num_attention_heads=16, num_key_value_heads=8, head_dim=256, query_pre_attn_scalar=256, sliding_window=4096),
}
for name, cfg in configs.items():
    with torch.device("meta"):
        model = AutoModelForCausalLM.from_config(cfg)
    cfg.architectures = [type(model).__name__]
    with open(f"{out}/{name}.config.json", "w") as f:
        f.write(cfg.to_json_string(use_diff=False))
    params = list(model.named_parameters())  # tied weights appear once, as HF saves them
    with open(f"{out}/{name}.params.tsv", "w") as f:
        for n, p in params:
            f.write(f"{n}\t{','.join(str(d) for d in p.shape)}\n")
    total = sum(p.numel() for _, p in params)
    print(name, total, len(params))
print("transformers", transformers.__version__, "torch", torch.__version__)
