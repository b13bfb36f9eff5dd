# Produces reference.jsonl: Google's IFEval verdicts (strict and loose) per (prompt, response, instruction).
# Usage: /usr/bin/python3 make_reference.py /path/to/folder-containing/instruction_following_eval > reference.jsonl
# Needs Debian's python3-nltk, python3-langdetect, python3-absl and immutabledict (a one-file shim is
# written below when the package is missing). See README.md for the substitutions and why.
import json, os, sys, types

ref_root = sys.argv[1]
sys.path.insert(0, ref_root)
try:
    import immutabledict  # noqa: F401
except ImportError:  # Debian has no python3-immutabledict; a read-only dict is all IFEval uses.
    shim = types.ModuleType("immutabledict")
    shim.immutabledict = dict
    sys.modules["immutabledict"] = shim

import random
random.seed(0)  # Google draws a random letter when keywords:letter_frequency's 'letter' is not a letter (keys 1122, 1129).

import langdetect
langdetect.DetectorFactory.seed = 0  # IFEval leaves langdetect unseeded; fix it so the numbers repeat.

import nltk
from nltk.tokenize.punkt import PunktSentenceTokenizer
from instruction_following_eval import instructions_util, evaluation_lib

# NLTK's trained English punkt model cannot be downloaded here: use the untrained Punkt tokenizer
# (same algorithm, empty parameters) for both count_sentences and word_tokenize.
_punkt = PunktSentenceTokenizer()
instructions_util._get_sentence_tokenizer = lambda: _punkt
nltk.tokenize.sent_tokenize = lambda text, language="english": _punkt.tokenize(text)

here = os.path.dirname(os.path.abspath(__file__))
inputs = evaluation_lib.read_prompt_list(os.path.join(here, "input_data.jsonl"))
responses = [json.loads(l)["response"] for l in open(os.path.join(here, "responses_gpt4_20231107.jsonl"))]
by_prompt = {json.loads(l)["prompt"]: i for i, l in enumerate(open(os.path.join(here, "responses_gpt4_20231107.jsonl")))}

# Each prompt is checked against its own response and four other prompts' responses (shifts 1, 7, 61, 263),
# so every verifier sees many passing and failing texts.
for i, inp in enumerate(inputs):
    own = by_prompt.get(inp.prompt, i)  # a few prompts have no response of their own: use a neighbour's
    for shift in (0, 1, 7, 61, 263):
        r = (own + shift) % len(responses)
        p2r = {inp.prompt: responses[r]}
        strict = evaluation_lib.test_instruction_following_strict(inp, p2r)
        loose = evaluation_lib.test_instruction_following_loose(inp, p2r)
        print(json.dumps({"key": inp.key, "response_index": r,
                          "strict": strict.follow_instruction_list, "loose": loose.follow_instruction_list}))
