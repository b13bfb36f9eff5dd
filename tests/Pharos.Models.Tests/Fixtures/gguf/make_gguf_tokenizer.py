#!/usr/bin/env python3
"""A 300-token SentencePiece BPE tokenizer (byte fallback) for the tiny fixture models, which have vocab 300 and no
tokenizer of their own: llama.cpp needs a vocabulary whose size equals the embedding's rows to load a model at all.

Usage (Debian sid chroot, sentencepiece 0.2.2, transformers 5.12.1):
    python3 make_gguf_tokenizer.py TEXT_JSONL OUT_DIR

Writes OUT_DIR/tokenizer.model (trained by sentencepiece on the "text" fields of TEXT_JSONL, lower-cased and cut down to
a-z and spaces: 256 byte pieces + 3 specials leave 41 pieces, so the alphabet must be small), and tokenizer.json +
tokenizer_config.json as transformers converts that model (LlamaTokenizer.from_pretrained), with a ChatML chat template
so the chat-template metadata is exercised too.
"""
import json
import os
import sys
import tempfile

import sentencepiece as spm
from transformers import LlamaTokenizer

text_path, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
with tempfile.TemporaryDirectory() as tmp:
    corpus = os.path.join(tmp, "corpus.txt")
    with open(text_path, encoding="utf-8") as f, open(corpus, "w", encoding="utf-8") as w:
        for line in f:
            text = "".join(c for c in json.loads(line)["text"].lower() if c in "abcdefghijklmnopqrstuvwxyz \n")
            w.write(" ".join(text.split()) + "\n")
    spm.SentencePieceTrainer.train(
        input=corpus, model_prefix=os.path.join(out, "tokenizer"), vocab_size=300, model_type="bpe",
        byte_fallback=True, character_coverage=1.0, num_threads=1, seed_sentencepiece_size=100000,
        unk_id=0, bos_id=1, eos_id=2, pad_id=-1)
os.remove(os.path.join(out, "tokenizer.vocab"))
tok = LlamaTokenizer.from_pretrained(out, add_bos_token=True, legacy=False)
tok.chat_template = ("{% for message in messages %}{{ '<s>' + message['role'] + '\\n' + message['content'] + '</s>' + '\\n' }}"
                     "{% endfor %}{% if add_generation_prompt %}{{ '<s>assistant\\n' }}{% endif %}")
tok.save_pretrained(out)
print(len(tok), tok("Everyone has the right to life, liberty and security of person.").input_ids)
print(sorted(os.listdir(out)))
