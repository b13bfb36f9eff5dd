#!/usr/bin/env python3
"""An SFT Parquet file laid out as the Hugging Face hub stores chat datasets: a `messages` column of type
list<struct<content: string, role: string>> (what `datasets` writes for a JSONL `messages` field), plus the same records
as JSONL so a test can check that both read alike.

Usage (Debian sid chroot, python3-pyarrow 25.0.0): python3 make_parquet_messages.py OUT_DIR
"""
import json
import sys

import pyarrow as pa
import pyarrow.parquet as pq

out = sys.argv[1]
records = [
    {"id": "a", "messages": [{"content": "Translate to German: good morning", "role": "user"},
                             {"content": "Guten Morgen", "role": "assistant"}]},
    {"id": "b", "messages": [{"content": "Be brief.", "role": "system"}, {"content": "2+2?", "role": "user"},
                             {"content": "4", "role": "assistant"}, {"content": "and 3+3?", "role": "user"},
                             {"content": "6", "role": "assistant"}]},
    {"id": "c", "messages": []},
    {"id": "d", "messages": None},
    {"id": "e", "messages": [{"content": None, "role": "user"}, {"content": "Olá, mundo — ção ✓", "role": "assistant"}]},
]
message = pa.struct([("content", pa.string()), ("role", pa.string())])
schema = pa.schema([("id", pa.string()), ("messages", pa.list_(message))])
table = pa.Table.from_pylist(records, schema=schema)
# Two row groups, so rows are numbered across groups.
pq.write_table(table, f"{out}/chat.parquet", row_group_size=3)
with open(f"{out}/chat.jsonl", "w", encoding="utf-8") as f:
    for r in records:
        f.write(json.dumps(r, ensure_ascii=False) + "\n")
print(pq.read_schema(f"{out}/chat.parquet"))
