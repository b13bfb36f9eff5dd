#!/usr/bin/python3
# Peer for the `curation` benchmark: datasketch MinHash signatures (run from its source tree) on the same documents and
# parameters as Pharos: word 5-grams of lowercased text, 14 x 8 = 112 permutations, seed 1, datasketch's default hash
# (sha1_hash32). Rates use CPU time. Prints one JSON line: {"docs": n, "seconds": s, "docs_per_s": r}.
# usage: datasketch_minhash.py DATASKETCH_SRC DOCS.jsonl
import json, re, sys, time, types

src, docs_path = sys.argv[1], sys.argv[2]
# Import datasketch.minhash without datasketch/__init__.py, which pulls in scipy/redis for LSH (not needed here).
pkg = types.ModuleType("datasketch")
pkg.__path__ = [src + "/datasketch"]
sys.modules["datasketch"] = pkg
from datasketch.minhash import MinHash  # noqa: E402

texts = [json.loads(line)["text"] for line in open(docs_path, encoding="utf-8")]
word = re.compile(r"\w+")
start = time.process_time()  # CPU time: the machine is shared; Pharos reports CPU time too
done = 0
for text in texts:
    words = word.findall(text.lower())
    if len(words) < 5:
        continue
    m = MinHash(num_perm=112, seed=1)
    m.update_batch([" ".join(words[i:i + 5]).encode("utf-8") for i in range(len(words) - 4)])
    done += 1
seconds = time.process_time() - start
print(json.dumps({"docs": len(texts), "signed": done, "seconds": seconds, "docs_per_s": len(texts) / seconds}))
