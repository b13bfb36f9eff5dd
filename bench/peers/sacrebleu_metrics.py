# Peer of the `metrics` benchmark: times sacrebleu's corpus BLEU + chrF++ on the files Pharos.Bench wrote, prints JSON.
# Usage: SACREBLEU_DIR=/path/to/sacrebleu python3 sacrebleu_metrics.py HYP REF
import json, os, sys, time, types

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


hyps, refs = read(sys.argv[1]), read(sys.argv[2])
start = time.perf_counter()
bleu = BLEU().corpus_score(hyps, [refs])
chrf = CHRF(word_order=2).corpus_score(hyps, [refs])
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "bleu": bleu.score, "chrf": chrf.score, "segments": len(hyps)}))
