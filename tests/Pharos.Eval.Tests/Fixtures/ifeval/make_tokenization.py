# Produces tokenization.jsonl: nltk's untrained Punkt sentences and word_tokenize counts per IFEval response.
# Usage: /usr/bin/python3 make_tokenization.py > tokenization.jsonl   (Debian python3-nltk 3.8; see README.md)
import json, os
import nltk
from nltk.tokenize.punkt import PunktSentenceTokenizer
from nltk.tokenize.destructive import NLTKWordTokenizer

punkt = PunktSentenceTokenizer()  # the substitute for punkt/english.pickle, as in make_reference.py
words = NLTKWordTokenizer()
here = os.path.dirname(os.path.abspath(__file__))
for i, line in enumerate(open(os.path.join(here, "responses_gpt4_20231107.jsonl"))):
    text = json.loads(line)["response"]
    sentences = punkt.tokenize(text)
    tokens = [t for s in sentences for t in words.tokenize(s)]
    print(json.dumps({"response_index": i, "sentence_lengths": [len(s) for s in sentences],
                      "tokens": len(tokens), "upper_tokens": sum(t.isupper() for t in tokens),
                      "first_tokens": tokens[:40]}, ensure_ascii=False))
