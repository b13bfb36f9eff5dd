#!/usr/bin/env python3
"""Converts FineWeb2's per-language configs and datatrove's tokenizer assignment into the data files Pharos embeds.

Usage: make_data.py FINEWEB2_CHECKOUT DATATROVE_CHECKOUT LID176_LABELS_TXT
Writes (beside this script): configs.jsonl.gz (one line per configs/*.yml, keys as in the YAML, plus "name"),
lid176.tsv (lid.176 label -> FineWeb2 config name) and ../Datatrove/tokenizer_assignment.tsv.
"""
import csv
import gzip
import io
import json
import os
import sys

import yaml

here = os.path.dirname(os.path.abspath(__file__))
fineweb2, datatrove, labels_file = sys.argv[1:4]

configs_dir = os.path.join(fineweb2, "configs")
names = sorted(f[:-4] for f in os.listdir(configs_dir) if f.endswith(".yml"))
buffer = io.StringIO()
for name in names:
    with open(os.path.join(configs_dir, name + ".yml"), encoding="utf-8") as f:
        config = yaml.safe_load(f)
    config = {"name": name, **{k: config[k] for k in sorted(config)}}
    buffer.write(json.dumps(config, ensure_ascii=False, separators=(",", ":")) + "\n")
# mtime=0: the same input gives the same bytes.
with open(os.path.join(here, "configs.jsonl.gz"), "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as gz:
    gz.write(buffer.getvalue().encode("utf-8"))

rows = list(csv.DictReader(open(os.path.join(datatrove, "src/datatrove/assets/tokenizer_assignment.csv"), encoding="utf-8")))
columns = ["code_3", "code_1", "script", "type", "tok_code", "default_script", "default_code_1"]
with open(os.path.join(here, "..", "Datatrove", "tokenizer_assignment.tsv"), "w", encoding="utf-8", newline="\n") as out:
    out.write("\t".join(columns) + "\n")
    for r in rows:
        out.write("\t".join(r[c] for c in columns) + "\n")

# lid.176 labels: the config of the row datatrove marks as the default for that ISO 639-1 code (or 639-3 code) and
# script; the few lid.176 codes without such a row are mapped by hand below.
manual = {"no": "nob_Latn", "tl": "fil_Latn", "sh": "srp_Latn", "bh": "bho_Deva"}
configs = set(names)
mapping = {}
for label in open(labels_file).read().split():
    candidates = [f"{r['code_3']}_{r['script']}" for r in rows
                  if r["code_1"] == label and r["default_code_1"] == "TRUE" and r["default_script"] == "TRUE"]
    candidates += [f"{r['code_3']}_{r['script']}" for r in rows if r["code_3"] == label and r["default_script"] == "TRUE"]
    candidates = [c for c in candidates if c in configs]
    if label in manual:
        mapping[label] = manual[label]
    elif candidates:
        mapping[label] = candidates[0]
with open(os.path.join(here, "lid176.tsv"), "w", encoding="utf-8", newline="\n") as out:
    for label in sorted(mapping):
        out.write(f"{label}\t{mapping[label]}\n")
print(len(names), "configs;", len(mapping), "lid.176 labels mapped;", len(rows), "tokenizer rows")
