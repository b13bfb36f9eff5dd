#!/usr/bin/env bash
# llama.cpp (Debian sid's llama.cpp 0.7.0 in the reference chroot) runs the GGUF files `pharos export gguf` writes:
# f32 logits of a prompt against `pharos forward`, greedy continuations against `pharos generate`, f16/bf16/q8_0 load
# and generate, and llama-tokenize against Hugging Face tokenizers. Results: llamacpp_check.md. CI does not run this.
# Usage: bash llamacpp_check.sh [WORK under /tmp/hfref] [TOKENIZER_CACHE]   (TOKENIZER_CACHE: real tokenizer.json
#        folders, e.g. ~/.cache/pharos-fixtures/tokenizers, for vocab-only checks of byte-level BPE; optional)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../.." && pwd)"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
work="${1:-/tmp/hfref/tmp/gguf-check}"
cache="${2:-$HOME/.cache/pharos-fixtures/tokenizers}"
[[ "$work" == /tmp/hfref/* ]] || { echo "WORK must be under /tmp/hfref (the chroot reads it)" >&2; exit 1; }
inner="${work#/tmp/hfref}"
pharos="$repo/pharos"
py() { chroot /tmp/hfref env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python3 "$@"; }

rm -rf "$work" && mkdir -p "$work/repo"
# the chroot sees only /tmp/hfref: copy what assemble() reads
mkdir -p "$work/repo/tests/Pharos.Models.Tests" "$work/repo/samples/models"
cp -r "$repo/tests/Pharos.Models.Tests/Fixtures" "$work/repo/tests/Pharos.Models.Tests/"
cp -r "$repo/samples/models/stories260K" "$work/repo/samples/models/"
cp "$here/check_llamacpp.py" "$here/make_gguf_fixtures.py" "$work/"
py "$inner/check_llamacpp.py" assemble "$inner/repo" "$inner"
cases=(stories260K tiny-llama tiny-qwen2 tiny-gemma2-q16)
for c in "${cases[@]}"; do
  for t in f32 f16 bf16 q8_0; do "$pharos" export gguf "$work/$c" -o "$work/$c.$t.gguf" --type "$t" > /dev/null; done
done
# byte-level BPE and a SentencePiece-converted tokenizer.json from real models: vocabulary-only files
for v in gpt2:LlamaForCausalLM:llama:50257 llama3:LlamaForCausalLM:llama:128256 qwen3:Qwen2ForCausalLM:qwen2:151936 llama2:LlamaForCausalLM:llama:32000; do
  IFS=: read -r name arch type vocab <<< "$v"
  [[ -f "$cache/$name/tokenizer.json" ]] || continue
  mkdir -p "$work/vocab-$name" && cp "$cache/$name/tokenizer.json" "$cache/$name/tokenizer_config.json" "$work/vocab-$name/"
  printf '{"architectures": ["%s"], "model_type": "%s", "vocab_size": %s, "hidden_size": 64, "intermediate_size": 128, "num_hidden_layers": 1, "num_attention_heads": 4, "num_key_value_heads": 2, "max_position_embeddings": 128, "rms_norm_eps": 1e-5, "rope_theta": 10000.0, "tie_word_embeddings": true}\n' "$arch" "$type" "$vocab" > "$work/vocab-$name/config.json"
  "$pharos" export gguf "$work/vocab-$name" -o "$work/vocab-$name.gguf" --vocab-only > /dev/null
done
py "$inner/check_llamacpp.py" llama "$inner"
# Pharos's side, on the prompt tokens llama.cpp reports
python3 - "$work" "$pharos" <<'PY'
import json, subprocess, sys
work, pharos = sys.argv[1], sys.argv[2]
report, out = json.load(open(f"{work}/llama.json")), {}
for case in ["stories260K", "tiny-llama", "tiny-qwen2", "tiny-gemma2-q16"]:
    ids = ",".join(str(t) for t in report[case]["f32"]["prompt_tokens"])
    subprocess.run([pharos, "forward", f"{work}/{case}", "--input-ids", ids, "-o", f"{work}/{case}.pharos-logits.safetensors"], check=True, capture_output=True)
    gen = subprocess.run([pharos, "generate", f"{work}/{case}", "--prompt-ids", ids, "--max-new-tokens", "16", "--stop-ids", "999999999"],
                         check=True, capture_output=True, text=True).stdout.split("\t")[0]
    out[case] = {"greedy": [int(t) for t in gen.split(",")]}
json.dump(out, open(f"{work}/pharos.json", "w"))
PY
py "$inner/check_llamacpp.py" compare "$inner"
