#!/usr/bin/env bash
# PEFT loading adapters that Pharos trained and saved: for each target_modules form, rsLoRA and DoRA, `pharos train`
# trains a LoRA on the bundled stories260K (a real Llama) for a few CPT steps, `pharos forward --adapter` and
# `pharos merge` give Pharos's logits and merged weights, and check_peft_loads_pharos.py (in the reference chroot, with
# PEFT's source on PYTHONPATH) loads each adapter folder with PeftModel.from_pretrained and compares.
# Usage: bash peft_loads_pharos.sh [WORK_DIR under /tmp/hfref]   (not run by CI: it needs the chroot)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../.." && pwd)"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
work="${1:-/tmp/hfref/tmp/peft-loads-pharos}"
[[ "$work" == /tmp/hfref/* ]] || { echo "WORK_DIR must be under /tmp/hfref (the chroot reads it)" >&2; exit 1; }
rm -rf "$work" && mkdir -p "$work"
cp -r "$repo/samples/models/stories260K" "$work/base"
ids="1,403,407,261,378,432,383,395,261,408,269,342"

cat > "$work/recipe.yaml" <<YAML
stage: cpt
seed: 7
model: {path: $work/base}
data:
  sequence_length: 64
  eval_fraction: 0
  sources: [{name: udhr, paths: [$repo/samples/data/cpt-monolingual.jsonl], share: 1.0}]
train: {max_steps: 6, micro_batch_size: 2, lr: 0.02, warmup_steps: 0, schedule: constant}
lora: {enabled: true, r: 4, alpha: 8, dropout: 0.0}
YAML

declare -A cases=(
  [list]="lora.target_modules=[q_proj,v_proj,down_proj]"
  [regex]="lora.target_modules=.*\\.layers\\.[13]\\.(self_attn\\.k_proj|mlp\\.up_proj)"
  [all-linear]="lora.target_modules=all-linear"
  [rslora]="lora.use_rslora=true"
  [dora]="lora.use_dora=true"
)
for name in "${!cases[@]}"; do
  out="$work/$name"
  "$repo/pharos" train --recipe "$work/recipe.yaml" --set "output=$out" --set "${cases[$name]}" > "$out.train.log" 2>&1
  "$repo/pharos" forward "$work/base" --adapter "$out/adapter" --input-ids "$ids" -o "$out/logits.safetensors" > /dev/null
  "$repo/pharos" merge --model "$work/base" --adapter "$out/adapter" --output "$out/merged" > /dev/null
done
cp "$here/check_peft_loads_pharos.py" "$work/"
inner="${work#/tmp/hfref}"
chroot /tmp/hfref env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE PYTHONPATH=/src/peft/src \
  python3 "$inner/check_peft_loads_pharos.py" "$inner"
