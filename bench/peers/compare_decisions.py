#!/usr/bin/env python3
"""Agreement of `pharos curate decide` with datatrove's decisions (bench/peers/datatrove_reference.py decide), per filter and
language: share of documents with the same kept/dropped, and with the same reason too. Documents datatrove failed on are
left out and counted.
usage: compare_decisions.py DATATROVE.jsonl PHAROS.jsonl [--by-language] [--show N]
"""
import collections
import json
import sys

dt_path, px_path = sys.argv[1:3]
by_language = "--by-language" in sys.argv
show = int(sys.argv[sys.argv.index("--show") + 1]) if "--show" in sys.argv else 0
dt = {(r["id"], r["filter"]): r for r in map(json.loads, open(dt_path, encoding="utf-8"))}
px = {(r["id"], r["filter"]): r for r in map(json.loads, open(px_path, encoding="utf-8"))}
stats = collections.defaultdict(lambda: [0, 0, 0])  # compared, same kept, same kept and reason
errors = collections.Counter()
mismatches = []
for key, d in dt.items():
    if d["reason"] and d["reason"].startswith("error:"):
        errors[(d["filter"], d["reason"])] += 1
        continue
    p = px.get(key)
    if p is None:
        continue
    groups = [("all", d["filter"])] + ([(d["language"], d["filter"])] if by_language else [])
    for g in groups:
        s = stats[g]
        s[0] += 1
        s[1] += d["kept"] == p["kept"]
        s[2] += d["kept"] == p["kept"] and d["reason"] == p["reason"]
    if d["kept"] != p["kept"] or d["reason"] != p["reason"]:
        mismatches.append((key, d["language"], d["kept"], d["reason"], p["kept"], p["reason"]))
print(f"{'language':<10} {'filter':<15} {'docs':>6} {'kept/dropped':>13} {'and reason':>11}")
for (language, flt), (n, same, reason) in sorted(stats.items()):
    print(f"{language:<10} {flt:<15} {n:>6} {100 * same / n:>12.2f}% {100 * reason / n:>10.2f}%")
for (flt, reason), n in sorted(errors.items()):
    print(f"datatrove failed: {flt} {reason} x{n}")
for m in mismatches[:show]:
    print("mismatch", m)
