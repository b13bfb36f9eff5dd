#!/usr/bin/env python3
"""Peer for the `curation` benchmark: datatrove's own FineWeb2 filter chain and MinHash signatures on the same documents.

Chain per document, as fineweb-2-pipeline.py wires it: lid.176 language ID (datatrove's LanguageFilter, model file given),
the config's language_score cut, GopherRepetitionFilter, FineWebQualityFilter, GopherQualityFilter (FineWeb2's config for
the language: lid.176 labels mapped with Pharos's lid176.tsv; English, without one, gets datatrove's defaults), then FTFYFormatter, PIIFormatter, SymbolLinesFormatter.
MinHash: MinhashDedupSignature (xxhash 64-bit, 14 x 8, 5-grams) with the document's language tokenizer.
Labels whose datatrove tokenizer cannot be loaded here (SudachiPy, Kiwi, ...) use spaCy's "xx" tokenizer instead.
Rates use CPU time. Prints one JSON line.
usage: PYTHONPATH=datatrove/src:spacy:preshed:stubs datatrove_chain.py DOCS.jsonl LID176.ftz LID176_MAP.tsv FINEWEB2_CONFIGS_DIR
"""
import functools
import json
import os
import sys
import tempfile
import time

import numpy as np
import yaml
from fasttext.FastText import _FastText

from datatrove.data import Document
from datatrove.pipeline.dedup.minhash import MinhashConfig, MinhashDedupSignature
from datatrove.pipeline.filters import FineWebQualityFilter, GopherQualityFilter, GopherRepetitionFilter, LanguageFilter
from datatrove.pipeline.formatters import FTFYFormatter, PIIFormatter, SymbolLinesFormatter
from datatrove.utils import word_tokenizers
from datatrove.utils.hashing import HashConfig

docs_path, model_path, map_path, configs = sys.argv[1:5]
texts = [json.loads(line)["text"] for line in open(docs_path, encoding="utf-8")]
lid176 = dict(line.rstrip("\n").split("\t") for line in open(map_path, encoding="utf-8") if line.strip())

# Tokenizers datatrove cannot load here fall back to spaCy "xx" (the WhitespaceTokenizer's words).
_load = word_tokenizers.load_word_tokenizer.__wrapped__
fallbacks = set()


@functools.lru_cache(maxsize=None)
def load_or_xx(language):
    try:
        tok = _load(language)
        tok.word_tokenize("a b")
        return tok
    except Exception:
        fallbacks.add(language)
        return word_tokenizers.SpaCyTokenizer("xx")


# split_into_parts imports load_word_tokenizer when called; minhash imported it by name already.
word_tokenizers.load_word_tokenizer = load_or_xx
import datatrove.pipeline.dedup.minhash as minhash_module  # noqa: E402

minhash_module.load_word_tokenizer = load_or_xx

class Numpy2FastText:
    """Debian's fasttext 0.9.2 predict() builds its array with np.array(copy=False), which numpy 2 refuses; the same call
    through the binding, with the array made by np.asarray (what fasttext-numpy2-wheel, datatrove's dependency, does)."""

    def __init__(self, path):
        self.model = _FastText(path)

    def predict(self, text, k=1, threshold=0.0):
        predictions = self.model.f.predict(text + "\n", k, threshold, "strict")
        probs, labels = zip(*predictions) if predictions else ([], ())
        return labels, np.asarray(probs)


lid = LanguageFilter(backend="ft176", label_only=True)
lid.model._model = Numpy2FastText(model_path)
formatters = [FTFYFormatter(), PIIFormatter(), SymbolLinesFormatter(symbols_to_remove=["|"], replace_char="\n")]
filters_by_label = {}


def filters(label):
    if label not in filters_by_label:
        path = os.path.join(configs, f"{label}.yml")
        if not os.path.exists(path):
            # No FineWeb2 config (English): datatrove's defaults, and the default table's 0.65 score cut as in Pharos.
            filters_by_label[label] = (0.65, [GopherRepetitionFilter(language=label), FineWebQualityFilter(language=label),
                                              GopherQualityFilter(language=label)])
        else:
            cfg = yaml.safe_load(open(path))
            filters_by_label[label] = (cfg["language_score"], [
                GopherRepetitionFilter(language=label, dup_para_frac=0, dup_line_char_frac=0, dup_para_char_frac=0,
                                       dup_line_frac=cfg["dup_line_frac"], top_n_grams=cfg["top_n_grams"], dup_n_grams=cfg["dup_n_grams"]),
                FineWebQualityFilter(language=label, short_line_thr=999, char_duplicates_ratio=0.1,
                                     line_punct_thr=cfg["line_punct_thr"], new_line_ratio=cfg["new_line_ratio"]),
                GopherQualityFilter(language=label, max_avg_word_length=cfg["max_avg_word_length"],
                                    min_avg_word_length=cfg["min_avg_word_length"], stop_words=cfg["stopwords"],
                                    max_non_alpha_words_ratio=cfg["max_non_alpha_words_ratio"], min_stop_words=2),
            ])
    return filters_by_label[label]


times = {"language_id": 0.0, "language_score": 0.0, "gopher_repetition": 0.0, "fineweb_quality": 0.0, "gopher_quality": 0.0, "formatters": 0.0}
names = ["gopher_repetition", "fineweb_quality", "gopher_quality"]
labels = []
kept = 0
start = time.process_time()
for i, text in enumerate(texts):
    doc = Document(text=text, id=str(i), metadata={})
    t = time.process_time()
    lid.filter(doc)
    label = lid176.get(doc.metadata["language"], doc.metadata["language"])
    labels.append(label)
    times["language_id"] += time.process_time() - t
    threshold, steps = filters(label)
    if doc.metadata["language_score"] < threshold:
        continue
    ok = True
    for name, step in zip(names, steps):
        t = time.process_time()
        result = step.filter(doc)
        times[name] += time.process_time() - t
        if not (result[0] if isinstance(result, tuple) else result):
            ok = False
            break
    if not ok:
        continue
    t = time.process_time()
    for f in formatters:
        doc.text = f.format(doc.text)
    times["formatters"] += time.process_time() - t
    kept += 1
chain_seconds = time.process_time() - start

config = MinhashConfig(hash_config=HashConfig(hash_fc="xxhash", precision=64), num_buckets=14, hashes_per_bucket=8, n_grams=5)
signers = {}
start = time.process_time()
for text, label in zip(texts, labels):
    if label not in signers:
        signers[label] = MinhashDedupSignature(output_folder=tempfile.mkdtemp(), config=config, language=label)
    sig = signers[label]
    shingles = sig.get_shingles(text)
    if shingles.size:
        sig.get_signature(shingles)
minhash_seconds = time.process_time() - start
print(json.dumps({"docs": len(texts), "kept": kept, "chain_seconds": chain_seconds, "chain_docs_per_s": len(texts) / chain_seconds,
                  "minhash_seconds": minhash_seconds, "minhash_docs_per_s": len(texts) / minhash_seconds,
                  "step_seconds": times, "xx_fallback_labels": sorted(fallbacks)}))
