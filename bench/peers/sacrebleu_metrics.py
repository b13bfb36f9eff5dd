# Peer of the `metrics` benchmark: times sacrebleu's corpus BLEU + chrF++ on the files Pharos.Bench wrote, prints JSON.
# Usage: SACREBLEU_DIR=/path/to/sacrebleu python3 sacrebleu_metrics.py [--repeat N] HYP REF   (reports the best of N runs)
import argparse, json, os, sys, time, types

sys.path.insert(0, os.environ["SACREBLEU_DIR"])
try:
    import sacrebleu.version  # noqa: F401
except ImportError:
    # A plain checkout has no generated version.py (setuptools_scm writes it at install time).
    shim = types.ModuleType("sacrebleu.version")
    shim.__version__ = "checkout"
    sys.modules["sacrebleu.version"] = shim
from sacrebleu.metrics import BLEU, CHRF


def read(path):
    with open(path, encoding="utf-8", newline="\n") as f:
        return [line.rstrip() for line in f]


ap = argparse.ArgumentParser()
ap.add_argument("--repeat", type=int, default=1)
ap.add_argument("hyp")
ap.add_argument("ref")
a = ap.parse_args()
hyps, refs = read(a.hyp), read(a.ref)
best = best_cpu = float("inf")
for _ in range(a.repeat):
    # Fresh metric objects each run: sacrebleu's lru_cache'd tokenizers key on the instance, so every run starts cold.
    start, cpu = time.perf_counter(), time.process_time()
    bleu = BLEU().corpus_score(hyps, [refs])
    chrf = CHRF(word_order=2).corpus_score(hyps, [refs])
    best = min(best, time.perf_counter() - start)
    best_cpu = min(best_cpu, time.process_time() - cpu)
print(json.dumps({"seconds": best, "cpu_seconds": best_cpu, "bleu": bleu.score, "chrf": chrf.score, "segments": len(hyps), "repeat": a.repeat}))
