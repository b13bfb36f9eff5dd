# Picks samples/eval/ifeval.jsonl from IFEval's input_data.jsonl: every instruction type at least once, 32 prompts in file order.
# Usage: python3 make_ifeval_subset.py ../../tests/Pharos.Eval.Tests/Fixtures/ifeval/input_data.jsonl > ifeval.jsonl
import json, sys

# Prompts whose verdicts depend on langdetect or on Google's random letter (see the IFEval fixture README): left out
# so the tests can expect Google's own numbers exactly.
SKIP = {1122, 1129, 1259, 1843, 1967, 2341, 3195, 3276, 3456}
WANT = 32

rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
rows = [r for r in rows if r["key"] not in SKIP]
chosen, covered = [], set()
for r in rows:  # first pass: a prompt that brings a type not yet covered
    if set(r["instruction_id_list"]) - covered:
        chosen.append(r)
        covered |= set(r["instruction_id_list"])
for r in rows:  # then fill up in file order
    if len(chosen) >= WANT:
        break
    if r not in chosen:
        chosen.append(r)
chosen.sort(key=lambda r: r["key"])
for r in chosen:
    print(json.dumps(r, ensure_ascii=False))
print(f"{len(chosen)} prompts, {len(covered)} instruction types", file=sys.stderr)
