#!/usr/bin/env python3
# Builds samples/web/: a small crawl of real multilingual web pages as Common Crawl stores them (WARC/1.0 response
# records with HTTP headers, one gzip member per record), from the HTML manuals Debian's documentation packages ship.
#
#   mkdir pkgs && cd pkgs && apt-get download debian-handbook debmake-doc debian-faq debian-faq-de debian-faq-fr \
#       debian-faq-it debian-faq-pt debian-faq-ru debian-faq-nl debian-faq-ja debian-faq-zh-cn
#   for f in *.deb; do dpkg-deb -x "$f" "root/${f%%_*}"; done
#   python3 samples/make_web_sample.py pkgs/root samples/web [DATATROVE_ASSETS]
#
# With DATATROVE_ASSETS (datatrove's src/datatrove/assets folder) it also writes the URL filter's word lists into
# samples/web/blocklists/, each entry normalised as datatrove's URLFilter normalises it (lower case, non-alphanumerics
# removed); domains.txt there is this sample's own list of the spam hosts it contains.
#
# What a crawl really holds, made from those pages: each site's navigation/footer boilerplate around the manual's own
# navigation, the same manual on two sites (a mirror), in two versions (an older edition) and under two URLs of one
# site, pages served in legacy encodings (with a matching charset header, with only a <meta>, with no declaration at
# all), records the crawler cut at its payload limit (WARC-Truncated) and files whose download ended inside a record,
# and low-quality pages (soft 404s, link farms, keyword spam, cookie walls, blocklisted hosts). Everything is
# deterministic: the same packages give byte-identical files. Writes the .warc.gz files, manifest.tsv (one line per
# record: what it is and where it came from) and prints the language mix.
import gzip
import hashlib
import html
import os
import random
import re
import sys
import uuid
import base64
from datetime import datetime, timedelta, timezone

PKG_ROOT, OUT = sys.argv[1], sys.argv[2]
DATATROVE_ASSETS = sys.argv[3] if len(sys.argv) > 3 else None
rng = random.Random(20240518)
FILES = 4
CRAWL = "PHAROS-WEB-SAMPLE-2024-20"
START = datetime(2024, 5, 18, 3, 0, 0, tzinfo=timezone.utc)

HANDBOOK = os.path.join(PKG_ROOT, "debian-handbook/usr/share/doc/debian-handbook/html")
DEBMAKE = os.path.join(PKG_ROOT, "debmake-doc/usr/share/doc/debmake-doc/html")
FAQ = {"en": os.path.join(PKG_ROOT, "debian-faq/usr/share/doc/debian/FAQ")}
for lang in ["de", "fr", "it", "pt", "ru", "nl", "ja", "zh-cn"]:
    FAQ[lang] = os.path.join(PKG_ROOT, f"debian-faq-{lang}/usr/share/doc/debian/FAQ/{lang}")

# The handbook in Tower+'s languages (many pages each), a few pages in other languages, and two translations that are
# mostly untranslated English (the same text again under another language's navigation).
HANDBOOK_MAIN = {"en-US": 30, "de-DE": 30, "fr-FR": 30, "es-ES": 30, "it-IT": 30, "pt-BR": 30}
HANDBOOK_OTHER = {"nl-NL": 5, "ru-RU": 8, "ja-JP": 8, "zh-CN": 6, "ca-ES": 4, "nb-NO": 4, "id-ID": 4, "ar-MA": 3, "fa-IR": 3}
HANDBOOK_UNTRANSLATED = {"ko-KR": 3, "el-GR": 3}
FAQ_PAGES = {"en": 6, "de": 5, "fr": 5, "it": 5, "pt": 5, "ru": 4, "nl": 3, "ja": 4, "zh-cn": 4}
DEBMAKE_PAGES = ["pr01", "ch01", "ch03", "ch06"]
DEBMAKE_LANGS = ["en", "de", "ja", "ru", "zh-cn", "zh-tw"]


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def visible_text(markup):
    markup = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", markup)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def english_share(page, english):
    words = visible_text(page).split()
    known = set(visible_text(english).split())
    return sum(w in known for w in words) / max(1, len(words))


def pick(names, n, seed):
    r = random.Random(seed)
    names = sorted(names)
    r.shuffle(names)
    return sorted(names[:n])


def handbook_candidates(lang, translated):
    """Pages of 6-40 KB (chapters of ToC links and the longest pages left out); translated or untranslated ones."""
    out = []
    for name in sorted(os.listdir(os.path.join(HANDBOOK, lang))):
        path = os.path.join(HANDBOOK, lang, name)
        if not name.endswith(".html") or not 6000 <= os.path.getsize(path) <= 40000:
            continue
        share = 0.0 if lang == "en-US" else english_share(read(path), read(os.path.join(HANDBOOK, "en-US", name)))
        if (share < 0.5) == translated:  # (the English original counts as translated)
            out.append(name)
    return out


# ---------------------------------------------------------------- site boilerplate (written for this sample)
HANDBOOK_LANGUAGES = sorted(d for d in os.listdir(HANDBOOK) if os.path.isdir(os.path.join(HANDBOOK, d)))


def handbook_site(page, lang):
    menu = "".join(f'<li><a href="/{p}/">{t}</a></li>' for p, t in
                    [("", "Home"), ("get", "Get the book"), ("browse", "Read online"), ("about-the-book", "About the book"),
                     ("authors", "Authors"), ("news", "News"), ("contact", "Contact")])
    langs = " · ".join(f'<a href="/browse/{l}/stable/">{l}</a>' for l in HANDBOOK_LANGUAGES)
    header = (f'<div id="site-header"><a class="logo" href="/">The Debian Administrator\'s Handbook</a><ul class="menu">{menu}</ul>'
              f'<div class="search"><form action="/search/"><input name="q" placeholder="Search the book"/><button>Search</button></form></div>'
              f'<div class="languages">Read it in: {langs}</div></div>')
    footer = ('<div id="site-footer"><p>Follow us: <a href="/feed/">RSS</a> · <a href="/newsletter/">Newsletter</a> · '
              '<a href="/donate/">Support the authors</a></p><p><a href="/legal/">Legal notice</a> · <a href="/privacy/">Privacy</a> · '
              '<a href="/sitemap/">Sitemap</a></p><div class="cookies">We use a cookie to remember your language. <a href="/privacy/">More</a> '
              '<button>OK</button></div></div>')
    return wrap(page, header, footer)


def mirror_site(page):
    header = ('<div class="mirror-banner"><b>docs-mirror.example.net</b> — free mirror of open documentation, synced nightly. '
              '<a href="/">All manuals</a> | <a href="/status">Mirror status</a> | <a href="/rsync">rsync</a></div>'
              '<div class="sidebar"><h4>Sponsored</h4><ul><li><a href="/ad/1">Fast VPS from 2 EUR</a></li>'
              '<li><a href="/ad/2">Managed Linux hosting</a></li><li><a href="/ad/3">Learn Linux online</a></li></ul></div>')
    footer = '<div class="mirror-footer">Mirrored content; the copyright belongs to its authors. Report a problem: abuse@docs-mirror.example.net</div>'
    return wrap(page, header, footer)


def debian_site(page, lang, languages, name):
    menu = "".join(f'<li><a href="/{p}/">{t}</a></li>' for p, t in
                   [("intro/about", "About Debian"), ("distrib", "Getting Debian"), ("support", "Support"),
                    ("devel", "Developers' Corner"), ("News", "News"), ("doc", "Documentation")])
    header = (f'<div id="header"><div id="upperheader"><a href="/">Debian</a><p class="section">Documentation</p></div>'
              f'<ul id="navbar">{menu}</ul><p id="breadcrumbs"><a href="/doc/">Documentation</a> / <a href="/doc/manuals/">Manuals</a> / {name}</p></div>')
    others = " ".join(f'<a href="{name}.{l}.html" hreflang="{l}">{l}</a>' for l in languages if l != lang)
    footer = (f'<div id="footer"><p>Back to the <a href="/">Debian Project homepage</a>.</p><p>This page is also available in: {others}</p>'
              '<p><a href="/contact">Contact us</a> · <a href="/legal/privacy">Privacy</a> · <a href="/trademark">Trademark</a></p></div>')
    return wrap(page, header, footer)


def wrap(page, header, footer):
    page = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + header, page, count=1)
    return page.replace("</body>", footer + "</body>", 1)


# ---------------------------------------------------------------- low-quality pages (written for this sample)
def simple_page(title, body, lang="en"):
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title></head>'
            f'<body><div id="nav"><a href="/">Home</a> | <a href="/blog">Blog</a> | <a href="/shop">Shop</a> | <a href="/contact">Contact</a></div>'
            f'<div id="content">{body}</div><div id="footer">© 2024 · <a href="/imprint">Imprint</a></div></body></html>')


def keyword_spam(topic):
    lines = [f"<p>Best {topic} deals 2024 - cheap {topic} - buy {topic} online now</p>" for _ in range(25)]
    lines.insert(10, f"<p>Click here for the best {topic} price. Limited offer! Order today and save.</p>")
    return "".join(lines)


def link_farm():
    tags = ["linux", "debian", "ubuntu", "server", "vps", "hosting", "backup", "ssh", "nginx", "apache", "docker", "kernel",
            "apt", "firewall", "dns", "mail", "raid", "lvm", "cloud", "security", "tutorial", "howto", "free", "download"]
    return "<ul>" + "".join(f'<li><a href="/tag/{t}">{t}</a></li>' for t in tags * 3) + "</ul>"


LOW_QUALITY = [
    # (url, title, body, language of the page)
    ("https://blog.example.org/2019/07/setting-up-apt-mirror", "Page not found",
     "<h1>404</h1><p>Sorry, this page does not exist.</p>", "en"),
    ("https://wiki.example.de/Debian/Paketverwaltung", "Seite nicht gefunden",
     "<h1>Fehler 404</h1><p>Diese Seite wurde nicht gefunden.</p>", "de"),
    ("https://forum.example.fr/sujet/1234-installer-debian", "Page introuvable",
     "<h1>Erreur</h1><p>La page demandée est introuvable.</p>", "fr"),
    ("https://tags.example.com/cloud", "Tag cloud", link_farm(), "en"),
    ("https://linkdirectory.example.net/linux/", "Linux links", link_farm(), "en"),
    ("https://cheap-vps-deals.example.com/debian-hosting", "Cheap Debian hosting", keyword_spam("debian hosting"), "en"),
    ("https://best-linux-laptop.example.com/", "Best Linux laptop", keyword_spam("linux laptop"), "en"),
    ("https://angebote.example.de/server-mieten", "Server mieten", keyword_spam("server mieten günstig"), "de"),
    ("https://news.example.com/consent?next=/linux", "Before you continue",
     "<p>We and our partners use cookies.</p><p>Accept all</p><p>Reject all</p><p>More options</p>", "en"),
    # Hosts on the sample's domain blocklist, and URLs with a banned subword or two soft-banned words (datatrove's lists).
    ("https://casino-bonus-online.example/debian", "Casino", keyword_spam("casino bonus"), "en"),
    ("https://www.pills-discount-store.example/linux", "Pharmacy", keyword_spam("pills"), "en"),
    ("http://webcamwithstrangers.example.com/linux-setup", "Setup", keyword_spam("live chat"), "en"),
    ("https://pharmacy.example.com/buy-cialis-online-debian", "Pharmacy", keyword_spam("pharmacy"), "en"),
    ("https://videos.example.com/hot-babes-and-bitch-fights", "Videos", keyword_spam("videos"), "en"),
]

# ---------------------------------------------------------------- records
records = []  # dicts: url, html (str), lang, package, source, variant, charset handling


def add(url, page, lang, package, source, variant="page"):
    records.append({"url": url, "html": page, "lang": lang, "package": package, "source": source, "variant": variant})


for lang, n in {**HANDBOOK_MAIN, **HANDBOOK_OTHER}.items():
    for name in pick(handbook_candidates(lang, translated=True), n, lang):
        add(f"https://debian-handbook.info/browse/{lang}/stable/{name}", handbook_site(read(os.path.join(HANDBOOK, lang, name)), lang),
            lang, "debian-handbook", f"html/{lang}/{name}")
english_pages = sorted({r["source"].split("/")[-1] for r in records if r["lang"] == "en-US"})
for lang, n in HANDBOOK_UNTRANSLATED.items():
    for name in pick([p for p in handbook_candidates(lang, translated=False) if p in english_pages], n, lang):
        add(f"https://debian-handbook.info/browse/{lang}/stable/{name}", handbook_site(read(os.path.join(HANDBOOK, lang, name)), lang),
            lang, "debian-handbook", f"html/{lang}/{name}", "untranslated")

# Near-duplicates of handbook pages already in the crawl.
handbook = [r for r in records if r["package"] == "debian-handbook" and r["variant"] == "page" and r["lang"] in HANDBOOK_MAIN]
chosen = random.Random(1).sample(handbook, 24)
for r in chosen[:6]:  # the same page under the release's code name: byte-identical HTML, another URL
    add(r["url"].replace("/stable/", "/bullseye/"), r["html"], r["lang"], r["package"], r["source"], "alias")
for r in chosen[6:14]:  # another site's copy: the same manual text inside a different template
    page = read(os.path.join(HANDBOOK, r["source"][len("html/"):]))
    add(r["url"].replace("https://debian-handbook.info/browse/", "http://docs-mirror.example.net/debian-handbook/"),
        mirror_site(page), r["lang"], r["package"], r["source"], "mirror")
for r in chosen[14:20]:  # the previous edition: release names differ and a paragraph is missing
    page = r["html"].replace("bullseye", "buster").replace("Bullseye", "Buster").replace("Debian 11", "Debian 10")
    paras = [m.start() for m in re.finditer(r'<div class="para">', page)]
    if len(paras) > 3:
        start = paras[len(paras) // 2]
        end = page.find("</div>", start) + len("</div>")
        page = page[:start] + page[end:]
    add(r["url"].replace("/stable/", "/buster/"), page, r["lang"], r["package"], r["source"], "old-edition")

for lang, n in FAQ_PAGES.items():
    names = sorted(f[: -len(f".{lang}.html")] for f in os.listdir(FAQ[lang]) if f.endswith(f".{lang}.html"))
    chosen_faq = pick([x for x in names if x not in ("index", "faqinfo")], n - (1 if lang in ("en", "de") else 0), "faq" + lang)
    if lang in ("en", "de"):
        chosen_faq.append("index")  # the table of contents: a page of links
    for name in sorted(chosen_faq):
        add(f"https://www.debian.org/doc/manuals/debian-faq/{name}.{lang}.html",
            debian_site(read(os.path.join(FAQ[lang], f"{name}.{lang}.html")), lang, list(FAQ), name), lang, "debian-faq",
            f"FAQ/{name}.{lang}.html")

for lang in DEBMAKE_LANGS:
    for name in DEBMAKE_PAGES:
        add(f"https://www.debian.org/doc/manuals/debmake-doc/{name}.{lang}.html",
            debian_site(read(os.path.join(DEBMAKE, f"{name}.{lang}.html")), lang, DEBMAKE_LANGS, name), lang, "debmake-doc",
            f"html/{name}.{lang}.html")

for url, title, body, lang in LOW_QUALITY:
    add(url, simple_page(title, body, lang), lang, "synthetic", "make_web_sample.py", "low-quality")

# ---------------------------------------------------------------- encodings
META = re.compile(r'<meta[^>]*charset[^>]*>', re.I)


def set_meta(page, charset):
    if charset is None:
        return META.sub("", page)
    return META.sub(f'<meta http-equiv="Content-Type" content="text/html; charset={charset}" />', page, count=1)


def by_lang(lang, variant="page"):
    return [r for r in records if r["lang"] == lang and r["variant"] == variant and "charset" not in r]


ENCODED = [
    # (pages, python codec, header charset, meta charset, what it shows)
    (by_lang("ru-RU")[:3], "cp1251", "windows-1251", "windows-1251", "header+meta"),
    (by_lang("ru")[:1], "koi8_r", "KOI8-R", None, "header only"),
    (by_lang("ru-RU")[3:5], "cp1251", None, None, "undeclared (decodes as windows-1252: mojibake)"),
    (by_lang("ja-JP")[:3], "shift_jis", None, "Shift_JIS", "meta only"),
    (by_lang("ja")[:1], "euc_jp", "EUC-JP", "EUC-JP", "header+meta"),
    (by_lang("zh-CN")[:2], "gb2312", "gb2312", "gb2312", "header+meta"),
    (by_lang("de-DE")[:2] + by_lang("es-ES")[:1], "latin-1", None, None, "undeclared (windows-1252 fallback is right)"),
    (by_lang("fr-FR")[:2], "iso8859_15", "ISO-8859-15", "ISO-8859-15", "header+meta"),
    (by_lang("it-IT")[:1], "utf-8", "ISO-8859-1", None, "mislabelled: UTF-8 served as ISO-8859-1"),
]
for pages, codec, header, meta, note in ENCODED:
    for r in pages:
        page = set_meta(r["html"], meta)
        r["body"] = page.encode(codec, errors="xmlcharrefreplace")
        r["charset"] = header
        r["encoding"] = f"{codec}: {note}"
for r in records:
    if "body" not in r:
        r["body"] = r["html"].encode("utf-8")
        r["charset"] = "utf-8"
        r["encoding"] = "utf-8"

# ---------------------------------------------------------------- WARC
def sha1(data):
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode()


def record_id(key):
    return f"<urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, key)}>"


def warc_record(headers, block):
    head = "WARC/1.0\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers) + "\r\n"
    return gzip.compress(head.encode("utf-8") + block + b"\r\n\r\n", compresslevel=9, mtime=0)


def response(r, when, info_id, payload_limit=None):
    body = r["body"]
    truncated = payload_limit is not None and len(body) > payload_limit
    stored = body[:payload_limit] if truncated else body
    content_type = "text/html" + (f"; charset={r['charset']}" if r["charset"] else "")
    http_headers = [
        "HTTP/1.1 200 OK",
        f"Date: {when.strftime('%a, %d %b %Y %H:%M:%S GMT')}",
        "Server: Apache",
        f"Last-Modified: {(when - timedelta(days=400)).strftime('%a, %d %b %Y %H:%M:%S GMT')}",
        f'ETag: "{hashlib.md5(body).hexdigest()[:16]}"',
        "Accept-Ranges: bytes",
        "Vary: Accept-Encoding",
        "X-Crawler-Content-Encoding: gzip",
        f"Content-Length: {len(body)}",
        f"Content-Type: {content_type}",
    ]
    block = ("\r\n".join(http_headers) + "\r\n\r\n").encode("latin-1") + stored
    host = r["url"].split("/")[2]
    headers = [
        ("WARC-Type", "response"),
        ("WARC-Date", when.strftime("%Y-%m-%dT%H:%M:%SZ")),
        ("WARC-Record-ID", record_id(r["url"] + "#" + r["variant"])),
        ("Content-Length", str(len(block))),
        ("Content-Type", "application/http; msgtype=response"),
        ("WARC-Warcinfo-ID", info_id),
        ("WARC-IP-Address", f"192.0.2.{int(hashlib.md5(host.encode()).hexdigest(), 16) % 250 + 1}"),
        ("WARC-Target-URI", r["url"]),
        ("WARC-Payload-Digest", sha1(stored)),
        ("WARC-Block-Digest", sha1(block)),
        ("WARC-Identified-Payload-Type", "text/html"),
    ]
    if truncated:
        headers.append(("WARC-Truncated", "length"))
    return warc_record(headers, block), truncated


def warcinfo(filename, when):
    fields = (f"isPartOf: {CRAWL}\r\npublisher: Pharos sample (built by samples/make_web_sample.py)\r\n"
              "description: Debian documentation pages in many languages, stored as a web crawl would store them\r\n"
              "format: WARC File Format 1.0\r\nconformsTo: https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.0/\r\n").encode()
    info_id = record_id(filename)
    headers = [("WARC-Type", "warcinfo"), ("WARC-Date", when.strftime("%Y-%m-%dT%H:%M:%SZ")), ("WARC-Filename", filename),
               ("WARC-Record-ID", info_id), ("Content-Type", "application/warc-fields"), ("Content-Length", str(len(fields)))]
    return warc_record(headers, fields), info_id


rng.shuffle(records)
# Three records over the crawler's payload limit are stored cut (WARC-Truncated: length); two files end inside a record.
big = [r for r in records if len(r["body"]) > 30000 and r["variant"] == "page"]
for r in big[:3]:
    r["payload_limit"] = 24000
interrupted = {1, 3}
os.makedirs(OUT, exist_ok=True)
manifest = ["file\trecord\turl\tlanguage\tpackage\tsource\tvariant\tencoding\tstored"]
per_file = [records[i::FILES] for i in range(FILES)]
when = START
for index, chunk in enumerate(per_file):
    name = f"{CRAWL}-{index:05d}.warc.gz"
    data, info_id = warcinfo(name, when)
    out = [data]
    for n, r in enumerate(chunk):
        when += timedelta(seconds=7)
        data, truncated = response(r, when, info_id, r.get("payload_limit"))
        stored = "truncated by the crawler (WARC-Truncated: length)" if truncated else "complete"
        if index in interrupted and n == len(chunk) - 1:
            data = data[: len(data) // 2]  # the download stopped here: the last gzip member is cut
            stored = "cut: the file ends inside this record"
        out.append(data)
        manifest.append("\t".join([name, str(n + 1), r["url"], r["lang"], r["package"], r["source"], r["variant"], r["encoding"], stored]))
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(b"".join(out))
with open(os.path.join(OUT, "manifest.tsv"), "w", encoding="utf-8") as f:
    f.write("\n".join(manifest) + "\n")

# ---------------------------------------------------------------- URL blocklists
BLOCKED_DOMAINS = ["casino-bonus-online.example", "pills-discount-store.example", "free-movies-hd.example", "crypto-doubler.example"]
if DATATROVE_ASSETS:
    lists = os.path.join(OUT, "blocklists")
    os.makedirs(lists, exist_ok=True)
    for name in ["banned_words.txt", "banned_subwords.txt", "soft_banned_words.txt"]:
        with open(os.path.join(DATATROVE_ASSETS, name), encoding="utf-8") as f:
            entries = sorted({re.sub(r"[^a-zA-Z0-9]+", "", line).lower() for line in f if line.strip() and not line.startswith("#")} - {""})
        with open(os.path.join(lists, name), "w", encoding="utf-8") as f:
            f.write(f"# datatrove {name} (Apache-2.0), normalised as its URLFilter does; see ../README.md\n" + "\n".join(entries) + "\n")
    with open(os.path.join(lists, "domains.txt"), "w", encoding="utf-8") as f:
        f.write("# spam hosts in this sample (written for it); a real run uses a full list such as UT1's blacklists\n" + "\n".join(BLOCKED_DOMAINS) + "\n")

# ---------------------------------------------------------------- summary (for the README)
from collections import Counter
print(f"{len(records)} response records in {FILES} files, {sum(os.path.getsize(os.path.join(OUT, f'{CRAWL}-{i:05d}.warc.gz')) for i in range(FILES))} bytes")
print("by page language:", dict(sorted(Counter(r["lang"] for r in records).items())))
print("by package:", dict(sorted(Counter(r["package"] for r in records).items())))
print("by variant:", dict(sorted(Counter(r["variant"] for r in records).items())))
print("re-encoded:", sum(r["encoding"] != "utf-8" for r in records))
