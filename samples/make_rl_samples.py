#!/usr/bin/env python3
"""Derives the quickstart's instruction-following, preference and RL sets from data/sft-translation.jsonl.

    python3 samples/make_rl_samples.py samples/data

Writes (deterministic; no randomness, no network):
  sft-ifmt.jsonl      SFT `messages`: an IF-MT-style request (an instruction, a blank line, the Tower+ prompt) answered
                      with the real translation, for instructions that translation already satisfies.
  prefs-prompts.jsonl conversational `prompt` + `reference`/`source`/`source_lang`/`target_lang`: the prompts
                      `pharos prefs build` samples from to make on-policy WPO pairs (chosen/rejected by chrF).
  grpo-prompts.jsonl  IF-MT-style conversational `prompt` + `reference` and an `instructions` list ({id, args}, the
                      IF-MT eval format): GRPO's verifiable rewards (chrF to the reference, the `ifmt` reward).

Only the held-out sources of `eval/translation.jsonl` are excluded; the three sets use disjoint records of the SFT file.
"""
import json
import re
import sys
from pathlib import Path

CODES = {"English": "en", "German": "de", "French": "fr", "Spanish": "es", "Italian": "it", "Portuguese (Brazil)": "pt-BR"}
PROMPT = re.compile(r"^Translate the following (.+?) source text to (.+?):\n\1: (.*)\n\2: $", re.S)
PLACEHOLDER = re.compile(r"%[a-zA-Z]")
WORD = re.compile(r"\w{7,}", re.U)


def records(path):
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        d = json.loads(line)
        user, answer = d["messages"][0]["content"], d["messages"][1]["content"]
        m = PROMPT.match(user)
        if m and m.group(1) in CODES and m.group(2) in CODES and "\n" not in m.group(3) and len(m.group(3)) <= 160:
            yield {"prompt_text": user, "source": m.group(3), "reference": answer,
                   "source_lang": CODES[m.group(1)], "target_lang": CODES[m.group(2)]}


def instructions_for(r, k):
    """Instructions the reference satisfies, in IF-MT's format; which ones rotates with k so the set is varied."""
    out, words = [], []
    placeholders = PLACEHOLDER.findall(r["source"])
    if placeholders and sorted(placeholders) == sorted(PLACEHOLDER.findall(r["reference"])):
        shown = " and ".join(dict.fromkeys(placeholders))
        out.append((f"Keep the printf placeholders {shown} unchanged.", {"id": "translation:placeholders"}))
    terms = [w for w in WORD.findall(r["reference"]) if w.lower() not in r["source"].lower()]
    if terms and k % 2 == 0:
        term = max(terms, key=len)
        words.append(term)
        out.append((f"Use the term \"{term}\" in your translation.", {"id": "translation:glossary", "args": {"terms": [term]}}))
    if "," not in r["reference"] and k % 3 == 1:
        out.append(("Do not use any commas in the translation.", {"id": "punctuation:no_comma"}))
    out.append(("Reply with the translation only.", {"id": "translation:only"}))
    return out


def main(folder):
    folder = Path(folder)
    held_out = {json.loads(l)["source"] for l in (folder.parent / "eval" / "translation.jsonl").read_text(encoding="utf-8").splitlines()}
    rows = [r for r in records(folder / "sft-translation.jsonl") if r["source"] not in held_out]
    sft, prefs, grpo = [], [], []
    for k, r in enumerate(rows):
        bucket = k % 6  # 3 of 6 to SFT, 1 to preferences, 2 to GRPO: disjoint records
        meta = {key: r[key] for key in ("source", "reference", "source_lang", "target_lang")}
        if bucket == 3:
            if len(prefs) < 160:
                prefs.append({"prompt": [{"role": "user", "content": r["prompt_text"]}], **meta})
            continue
        asks = instructions_for(r, k)
        text = " ".join(a for a, _ in asks) + "\n\n" + r["prompt_text"]
        if bucket in (4, 5):
            if len(grpo) < 96:
                grpo.append({"prompt": [{"role": "user", "content": text}], **meta, "instructions": [s for _, s in asks]})
        elif len(sft) < 240:
            sft.append({"messages": [{"role": "user", "content": text}, {"role": "assistant", "content": r["reference"]}]})
    for name, items in (("sft-ifmt.jsonl", sft), ("prefs-prompts.jsonl", prefs), ("grpo-prompts.jsonl", grpo)):
        (folder / name).write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items), encoding="utf-8")
        print(f"{name}: {len(items)} records")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "samples/data")
