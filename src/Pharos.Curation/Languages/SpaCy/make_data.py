#!/usr/bin/env python3
"""Exports spaCy's rule-based tokenizer data for the languages datatrove tokenizes with spaCy, as the data Pharos embeds.

Run with spaCy importable (the reference chroot): python3 make_data.py DATATROVE_TOKENIZER_ASSIGNMENT.tsv OUT.json.gz
For each language code: the compiled prefix, suffix and infix patterns, token_match and url_match patterns (Python re
syntax, with their flags), whether faster_heuristics is on, and every tokenizer exception as its ORTH pieces. Also the
code point ranges Python's re gives \\w, \\d and \\s, so the patterns can be translated to .NET with Python's meaning.
"""
import gzip
import json
import re
import sys

import spacy
from spacy.pipeline import Sentencizer

assignment, out_path = sys.argv[1:3]
codes = {"xx"}
with open(assignment, encoding="utf-8") as f:
    header = f.readline().rstrip("\n").split("\t")
    for line in f:
        row = dict(zip(header, line.rstrip("\n").split("\t")))
        if row["type"] == "SpaCyTokenizer" and row["tok_code"]:
            codes.add(row["tok_code"])


def pattern(fn):
    if fn is None:
        return None
    compiled = fn.__self__
    return {"pattern": compiled.pattern, "flags": compiled.flags}


def ranges(predicate):
    out, start = [], None
    for cp in range(0x110001):
        inside = cp <= 0x10FFFF and not (0xD800 <= cp <= 0xDFFF) and predicate(chr(cp))
        if inside and start is None:
            start = cp
        elif not inside and start is not None:
            out.append([start, cp - 1])
            start = None
    return out


languages = {}
skipped = {}
for code in sorted(codes):
    if code in ("ja", "vi", "zh"):
        # ja needs SudachiPy, vi needs pyvi, zh is segmented by jieba: not spaCy's rule-based tokenizer.
        skipped[code] = "segmented by a separate library"
        continue
    nlp = spacy.blank(code)
    tok = nlp.tokenizer
    languages[code] = {
        "prefix": pattern(tok.prefix_search),
        "suffix": pattern(tok.suffix_search),
        "infix": pattern(tok.infix_finditer),
        "token_match": pattern(tok.token_match),
        "url_match": pattern(tok.url_match),
        "faster_heuristics": tok.faster_heuristics,
        "rules": {key: [piece[65] if 65 in piece else piece["ORTH"] for piece in value] for key, value in sorted(tok.rules.items())},
    }

data = {
    "spacy_version": spacy.__version__,
    "python_re": {
        "w": ranges(lambda c: re.match(r"\w", c) is not None),
        "d": ranges(lambda c: re.match(r"\d", c) is not None),
        "s": ranges(lambda c: re.match(r"\s", c) is not None),
    },
    "sentencizer_punct_chars": sorted(Sentencizer.default_punct_chars),
    "skipped": skipped,
    "languages": languages,
}
with open(out_path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as gz:
    gz.write(json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8"))
print(len(languages), "languages;", "skipped", skipped)
