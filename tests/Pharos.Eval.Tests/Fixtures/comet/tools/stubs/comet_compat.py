# Python 3.14 (Debian sid) dropped functools._HashedSeq, which COMET's lru_cache.py imports; this puts back an
# equivalent (a list that remembers the hash of the tuple it was built from). Import before importing comet.
import functools

if not hasattr(functools, "_HashedSeq"):
    class _HashedSeq(list):
        __slots__ = "hashvalue"

        def __init__(self, items, hash=hash):
            self[:] = items
            self.hashvalue = hash(items)

        def __hash__(self):
            return self.hashvalue

    functools._HashedSeq = _HashedSeq

# transformers 5 leaves None entries out of tuple outputs, so XLMRobertaModel(..., return_dict=False) without a
# pooler gives (last_hidden_state, hidden_states) where COMET (written for transformers 4) unpacks three values
# (last_hidden_state, pooler_output, hidden_states). This restores the 4.x tuple; the tensors are untouched.
from transformers import XLMRobertaModel

_forward = XLMRobertaModel.forward


def _forward_with_v4_tuple(self, *args, return_dict=None, **kwargs):
    if return_dict is False:
        out = _forward(self, *args, return_dict=True, **kwargs)
        return (out.last_hidden_state, out.pooler_output, out.hidden_states)
    return _forward(self, *args, return_dict=return_dict, **kwargs)


XLMRobertaModel.forward = _forward_with_v4_tuple

# transformers 5's tokenizers no longer have build_inputs_with_special_tokens, which COMET's concat_sequences calls
# to join segments. transformers 4's XLM-R tokenizers defined it as "<s> A </s>" and "<s> A </s></s> B </s>".
from transformers import XLMRobertaTokenizerFast

if not hasattr(XLMRobertaTokenizerFast, "build_inputs_with_special_tokens"):
    def _build_inputs_with_special_tokens(self, token_ids_0, token_ids_1=None):
        cls, sep = [self.cls_token_id], [self.sep_token_id]
        if token_ids_1 is None:
            return cls + token_ids_0 + sep
        return cls + token_ids_0 + sep + sep + token_ids_1 + sep

    XLMRobertaTokenizerFast.build_inputs_with_special_tokens = _build_inputs_with_special_tokens
