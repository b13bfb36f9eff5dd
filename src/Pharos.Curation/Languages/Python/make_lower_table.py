#!/usr/bin/env python3
"""Writes python-lower.tsv: every code point whose str.lower() differs from itself, and what it lowers to (Python's own table)."""
import sys
import unicodedata

with open("python-lower.tsv", "w", encoding="utf-8", newline="\n") as out:
    out.write(f"# python {sys.version.split()[0]}, unicodedata {unicodedata.unidata_version}: code point, then str.lower() as code points\n")
    for cp in range(0x110000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        c = chr(cp)
        low = c.lower()
        if low != c:
            out.write(f"{cp:X}\t{' '.join(f'{ord(x):X}' for x in low)}\n")
