#!/usr/bin/env python3
# Makes the COMET fixtures with COMET's own code (Unbabel/COMET source + the stubs beside this file): a tiny
# SentencePiece Unigram tokenizer laid out as an XLM-R encoder in a Hugging Face cache, tiny random checkpoints of
# the regression, referenceless and unified model classes saved as Unbabel publishes them (hparams.yaml +
# checkpoints/model.ckpt) and as a safetensors export, and the segment scores COMET's load_from_checkpoint +
# predict give for multilingual segments. Written for Pharos; see ../README.md for the command line.
import hashlib
import json
import os
import shutil
import sys
import types

if __name__ == "__main__":
    # huggingface_hub reads these when it is imported: the encoder is found in this cache, never downloaded.
    os.environ["HF_HUB_CACHE"] = os.path.join(os.path.abspath(sys.argv[3]), "hf-cache")
    os.environ["HF_HUB_OFFLINE"] = "1"

import sentencepiece as spm
import torch
import yaml
from safetensors.torch import save_file

ENCODER_NAME = "pharos-fixtures/tiny-xlm-roberta"


def main(corpus_path, segments_path, out):
    os.makedirs(out, exist_ok=True)
    cache = os.path.join(out, "hf-cache")
    encoder = make_encoder(corpus_path, out, cache)

    from transformers import XLMRobertaTokenizerFast
    import comet_compat  # noqa: F401  (Python 3.14 shim, see stubs/comet_compat.py)
    import comet  # noqa: F401  (imported after HF_HUB_CACHE is set)

    segments = [json.loads(line) for line in open(segments_path, encoding="utf-8")]
    tokenizer = XLMRobertaTokenizerFast.from_pretrained(ENCODER_NAME)
    write_token_ids(tokenizer, segments, os.path.join(out, "xlmr-token-ids.json"))

    specs = {
        # COMET-22 (wmt22-comet-da): sparsemax layer mix without layer norm, average pooling, 6-way features.
        "regression": ("regression_metric", dict(layer_transformation="sparsemax", layer_norm=False,
                                                  hidden_sizes=[48, 24], activations="Tanh")),
        # Older COMET-DA / cometinho-style: softmax mix with the masked layer norm, a final sigmoid.
        "regression-softmax": ("regression_metric", dict(layer_transformation="softmax", layer_norm=True,
                                                          hidden_sizes=[40], activations="Tanh",
                                                          final_activation="Sigmoid")),
        # COMET-QE 2020/21: referenceless regression on [mt, src, mt*src, |mt-src|].
        "referenceless": ("referenceless_regression_metric", dict(layer_transformation="softmax", layer_norm=True,
                                                                  hidden_sizes=[48, 24], activations="Tanh")),
        # CometKiwi-22 (wmt22-cometkiwi-da): unified metric on "mt </s></s> src", CLS embedding, sigmoid head.
        "kiwi": ("unified_metric", dict(layer_transformation="sparsemax", layer_norm=False, sent_layer="mix",
                                        input_segments=["mt", "src"], hidden_sizes=[48, 24],
                                        activations="Tanh", final_activation="sigmoid")),
        # A unified metric trained with references: the score is the mean of [mt,src], [mt,ref], [mt,src,ref].
        "unified-ref": ("unified_metric", dict(layer_transformation="softmax", layer_norm=True, sent_layer="mix",
                                               input_segments=["mt", "src", "ref"], hidden_sizes=[32],
                                               activations="Tanh")),
    }
    expected = {}
    for seed, (name, (identifier, hparams)) in enumerate(specs.items(), start=11):
        folder = os.path.join(out, name)
        save_model(identifier, hparams, seed, folder)
        expected[name] = score(folder, segments, identifier)
        print(name, "scores:", [round(s, 4) for s in expected[name]["scores"]][:6], "...")
    with open(os.path.join(out, "expected-scores.json"), "w", encoding="utf-8") as f:
        json.dump(expected, f, ensure_ascii=False, indent=1)
    print("encoder", encoder)


def make_encoder(corpus_path, out, cache):
    """Trains the tokenizer and lays the encoder out as the Hugging Face cache has a downloaded model."""
    from transformers import XLMRobertaConfig, XLMRobertaTokenizerFast

    work = os.path.join(out, "encoder")
    os.makedirs(work, exist_ok=True)
    spm.SentencePieceTrainer.train(
        input=corpus_path, model_prefix=os.path.join(work, "sentencepiece.bpe"), vocab_size=1500,
        model_type="unigram", character_coverage=0.9995, normalization_rule_name="nmt_nfkc",
        num_threads=1, seed_sentencepiece_size=200000, shuffle_input_sentence=False, minloglevel=2)
    os.remove(os.path.join(work, "sentencepiece.bpe.vocab"))
    # transformers 5 has no slow XLM-R tokenizer to convert from; its converter (the one that made the tokenizer.json
    # files of the real XLM-R models) only reads vocab_file and the ids of <s> and </s> from it.
    from transformers.convert_slow_tokenizer import XLMRobertaConverter
    sentencepiece_file = os.path.join(work, "sentencepiece.bpe.model")
    slow = types.SimpleNamespace(vocab_file=sentencepiece_file, convert_tokens_to_ids={"<s>": 0, "</s>": 2}.__getitem__)
    tokenizer = XLMRobertaTokenizerFast(tokenizer_object=XLMRobertaConverter(slow).converted())
    tokenizer.save_pretrained(work)
    config = XLMRobertaConfig(vocab_size=len(tokenizer), hidden_size=32, num_hidden_layers=3, num_attention_heads=4,
                              intermediate_size=64, max_position_embeddings=66, type_vocab_size=1,
                              layer_norm_eps=1e-5, pad_token_id=1, bos_token_id=0, eos_token_id=2,
                              initializer_range=0.2)
    config.save_pretrained(work)

    digest = hashlib.sha1(b"pharos tiny xlm-roberta").hexdigest()
    repo = os.path.join(cache, "models--" + ENCODER_NAME.replace("/", "--"))
    snapshot = os.path.join(repo, "snapshots", digest)
    shutil.rmtree(repo, ignore_errors=True)
    shutil.copytree(work, snapshot)
    os.makedirs(os.path.join(repo, "refs"), exist_ok=True)
    with open(os.path.join(repo, "refs", "main"), "w") as f:
        f.write(digest)
    return work


def randomise_heads(model, generator):
    """Fresh COMET heads start at zero layer weights and unit gamma/norms; spread them so the tests can see them."""
    with torch.no_grad():
        for p in model.layerwise_attention.scalar_parameters:
            p.copy_(torch.randn(1, generator=generator) * 1.5)
        model.layerwise_attention.gamma.copy_(torch.tensor([0.5]) + torch.rand(1, generator=generator))
        for name, p in model.encoder.named_parameters():
            if "LayerNorm.weight" in name:
                p.copy_(1 + 0.3 * torch.randn(p.shape, generator=generator))
            elif "LayerNorm.bias" in name or name.endswith(".bias"):
                p.copy_(0.1 * torch.randn(p.shape, generator=generator))
        for p in model.estimator.parameters():
            p.mul_(3.0)


def save_model(identifier, hparams, seed, folder):
    from comet.models import str2model

    torch.manual_seed(seed)
    model = str2model[identifier](pretrained_model=ENCODER_NAME, load_pretrained_weights=False, dropout=0.1, **hparams)
    randomise_heads(model, torch.Generator().manual_seed(seed))
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(os.path.join(folder, "checkpoints"))
    checkpoint = model.to_checkpoint()
    torch.save(checkpoint, os.path.join(folder, "checkpoints", "model.ckpt"))
    with open(os.path.join(folder, "hparams.yaml"), "w") as f:
        yaml.dump(dict(model.hparams), f)
    export = os.path.join(folder, "safetensors")
    os.makedirs(export)
    shutil.copy(os.path.join(folder, "hparams.yaml"), export)
    save_file({k: v.contiguous() for k, v in checkpoint["state_dict"].items()}, os.path.join(export, "model.safetensors"))


def score(folder, segments, identifier):
    from comet import load_from_checkpoint

    model = load_from_checkpoint(os.path.join(folder, "checkpoints", "model.ckpt"))
    fields = ["src", "mt"] if identifier != "regression_metric" else ["src", "mt", "ref"]
    samples = [{k: s[k] for k in fields} for s in segments]
    result = {}
    output = model.predict(samples, batch_size=4, gpus=0, progress_bar=False)
    result["scores"] = output.scores
    result["system_score"] = output.system_score
    if identifier == "unified_metric" and "ref" in model.hparams.input_segments:
        with_ref = [{k: s[k] for k in ("src", "mt", "ref")} for s in segments]
        output = model.predict(with_ref, batch_size=3, gpus=0, progress_bar=False)
        result["scores_with_ref"] = output.scores
        result["system_score_with_ref"] = output.system_score
    result["batch1_scores"] = model.predict(samples, batch_size=1, gpus=0, progress_bar=False,
                                            length_batching=False).scores
    return result


def write_token_ids(tokenizer, segments, path):
    texts = []
    for s in segments:
        for k in ("src", "mt", "ref"):
            if s[k] not in texts:
                texts.append(s[k])
    cases = [{"text": t, "ids": tokenizer(t)["input_ids"],
              "truncated": tokenizer(t, truncation=True, max_length=62)["input_ids"]} for t in texts]
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"max_length": 62, "cases": cases}, f, ensure_ascii=False, indent=0)


if __name__ == "__main__":
    main(*sys.argv[1:4])
