#!/usr/bin/env python3
"""datatrove's own decisions, words, sentence counts and MinHash signatures on a JSONL corpus (the reference for Pharos).

Run in the reference chroot with datatrove (v0.10.0), spaCy and jieba importable, e.g.
    PYTHONPATH=/src/datatrove/src:/src/spacy:/src/preshed:/src/stubs python3 datatrove_reference.py MODE CORPUS.jsonl OUT.jsonl [options]
MODE:
  words     per document: the tokenizer datatrove picks for its language, word_tokenize(text), word_tokenize(simplify_text(text)),
            and len(split_into_sentences(line)) for every stripped non-empty line (what C4's sentence count adds up)
  decide    per document and filter: {"id", "filter", "kept", "reason"}, every filter run alone on the original text;
            --settings fineweb2 wires FineWeb2's configs as fineweb-2-pipeline.py does (documents of languages without a config
            are left out), --settings defaults uses datatrove's constructor defaults with the document's language
  minhash   per document: MinhashDedupSignature's signature (FineWeb2's MinhashConfig: xxhash 64-bit, 14 buckets x 8, 5-grams)
  params    the permutation constants (a, b) for seed 1 and 112 hashes
Documents whose tokenizer cannot be loaded here (SudachiPy, Kiwi, Stanza, ...) are reported with "error".
"""
import argparse
import copy
import json
import os
import sys
import tempfile
import time

import yaml

from datatrove.data import Document
from datatrove.pipeline.dedup.minhash import MinhashConfig, MinhashDedupSignature
from datatrove.pipeline.filters import C4QualityFilter, FineWebQualityFilter, GopherQualityFilter, GopherRepetitionFilter
from datatrove.utils.hashing import HashConfig
from datatrove.utils.text import simplify_text, split_into_sentences
from datatrove.utils.word_tokenizers import load_word_tokenizer

FINEWEB2_CONFIGS = os.environ.get("FINEWEB2_CONFIGS", "/src/fineweb-2/configs")


def fineweb2_filters(label):
    path = os.path.join(FINEWEB2_CONFIGS, f"{label}.yml")
    if not os.path.exists(path):
        return None
    with open(path) as f:
        cfg = yaml.safe_load(f)
    # As fineweb-2-pipeline.py step 5 (C4 is not applied there; here it runs with datatrove's defaults and the language).
    return {
        "gopher_rep": GopherRepetitionFilter(language=label, dup_para_frac=0, dup_line_char_frac=0, dup_para_char_frac=0,
                                             dup_line_frac=cfg["dup_line_frac"], top_n_grams=cfg["top_n_grams"],
                                             dup_n_grams=cfg["dup_n_grams"]),
        "fineweb": FineWebQualityFilter(language=label, short_line_thr=999, char_duplicates_ratio=0.1,
                                        line_punct_thr=cfg["line_punct_thr"], new_line_ratio=cfg["new_line_ratio"]),
        "gopher_quality": GopherQualityFilter(language=label, max_avg_word_length=cfg["max_avg_word_length"],
                                              min_avg_word_length=cfg["min_avg_word_length"], stop_words=cfg["stopwords"],
                                              max_non_alpha_words_ratio=cfg["max_non_alpha_words_ratio"], min_stop_words=2),
        "c4": C4QualityFilter(language=label),
    }


def default_filters(label):
    return {
        "gopher_rep": GopherRepetitionFilter(language=label),
        "fineweb": FineWebQualityFilter(language=label),
        "gopher_quality": GopherQualityFilter(language=label),
        "c4": C4QualityFilter(language=label),
    }


def decide(flt, doc):
    try:
        result = flt.filter(copy.deepcopy(doc))
    except Exception as e:  # datatrove raises on some inputs (ZeroDivisionError on empty word lists, missing tokenizers)
        return None, f"error:{type(e).__name__}"
    if isinstance(result, tuple):
        return bool(result[0]), result[1]
    return bool(result), None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["words", "decide", "minhash", "params"])
    parser.add_argument("corpus")
    parser.add_argument("out")
    parser.add_argument("--settings", choices=["fineweb2", "defaults"], default="fineweb2")
    parser.add_argument("--filters", default="gopher_rep,fineweb,gopher_quality,c4")
    args = parser.parse_args()
    docs = [json.loads(line) for line in open(args.corpus, encoding="utf-8")] if args.mode != "params" else []
    out = open(args.out, "w", encoding="utf-8")
    start = time.process_time()
    if args.mode == "params":
        sig = MinhashDedupSignature(output_folder=tempfile.mkdtemp(), config=minhash_config())
        a, b = sig.parameters
        out.write(json.dumps({"seed": 1, "a": a[0].tolist(), "b": b[0].tolist()}) + "\n")
    for doc in docs:
        label = doc["language"]
        if args.mode == "words":
            try:
                tok = load_word_tokenizer(label)
                record = {"id": doc["id"], "language": label, "tokenizer": f"{type(tok).__name__}:{getattr(tok, 'language', '')}",
                          "words": tok.word_tokenize(doc["text"]),
                          "simplified_words": tok.word_tokenize(simplify_text(doc["text"])),
                          "sentences": [len(split_into_sentences(line.strip(), label)) for line in doc["text"].splitlines() if line.strip()]}
            except Exception as e:
                record = {"id": doc["id"], "language": label, "error": f"{type(e).__name__}: {e}"[:200]}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
        elif args.mode == "decide":
            try:
                filters = fineweb2_filters(label) if args.settings == "fineweb2" else default_filters(label)
            except Exception as e:
                filters = None
            if filters is None:
                continue
            d = Document(text=doc["text"], id=doc["id"], metadata={})
            for name in args.filters.split(","):
                kept, reason = decide(filters[name], d)
                out.write(json.dumps({"id": doc["id"], "language": label, "filter": name, "kept": kept, "reason": reason}) + "\n")
        elif args.mode == "minhash":
            try:
                sig = MinhashDedupSignature(output_folder=tempfile.mkdtemp(), config=minhash_config(), language=label)
                shingles = sig.get_shingles(doc["text"])
                signature = [h for bucket in sig.get_signature(shingles) for h in bucket] if shingles.size else None
                out.write(json.dumps({"id": doc["id"], "language": label, "signature": signature}) + "\n")
            except Exception as e:
                out.write(json.dumps({"id": doc["id"], "language": label, "error": f"{type(e).__name__}: {e}"[:200]}) + "\n")
    out.close()
    print(f"{len(docs)} documents, {time.process_time() - start:.2f} s CPU", file=sys.stderr)


def minhash_config():
    return MinhashConfig(hash_config=HashConfig(hash_fc="xxhash", precision=64), num_buckets=14, hashes_per_bucket=8, n_grams=5)


if __name__ == "__main__":
    main()
