# COMET peer for `bench comet`: runs Unbabel/COMET's own code (its source on PYTHONPATH, with the stubs of
# tests/Pharos.Eval.Tests/Fixtures/comet/tools/stubs) in the Debian sid chroot (torch 2.14, transformers 5.12).
#   make:  trains a SentencePiece Unigram tokenizer on the bench corpus and saves a randomly initialised COMET-22-shaped
#          regression model on an XLM-R-base-shaped encoder (~278M parameters) as hparams.yaml + checkpoints/model.ckpt
#   score: loads it with comet.load_from_checkpoint and times model.predict on the src/mt/ref files (one JSON line out)
import argparse, hashlib, json, os, shutil, sys, time, types

ENCODER_NAME = "pharos-bench/xlm-roberta-base-shaped"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("command", choices=["make", "score"])
    p.add_argument("--dir", required=True)
    p.add_argument("--corpus")
    p.add_argument("--src"); p.add_argument("--mt"); p.add_argument("--ref")
    p.add_argument("--batch-size", type=int, default=16)
    p.add_argument("--threads", type=int, default=os.cpu_count())
    p.add_argument("--scores-out")
    a = p.parse_args()
    os.environ["HF_HUB_CACHE"] = os.path.join(a.dir, "hf-cache")
    os.environ["HF_HUB_OFFLINE"] = "1"
    import torch
    torch.set_num_threads(a.threads)
    import comet_compat  # noqa: F401
    if a.command == "make":
        make(a)
    else:
        score(a)


def make(a):
    import sentencepiece as spm
    import torch
    import yaml
    from transformers import XLMRobertaConfig, XLMRobertaTokenizerFast
    from transformers.convert_slow_tokenizer import XLMRobertaConverter

    encoder = os.path.join(a.dir, "encoder")
    os.makedirs(encoder, exist_ok=True)
    spm.SentencePieceTrainer.train(input=a.corpus, model_prefix=os.path.join(encoder, "sentencepiece.bpe"), vocab_size=6000,
                                   model_type="unigram", character_coverage=0.9995, num_threads=1, minloglevel=2)
    os.remove(os.path.join(encoder, "sentencepiece.bpe.vocab"))
    slow = types.SimpleNamespace(vocab_file=os.path.join(encoder, "sentencepiece.bpe.model"),
                                 convert_tokens_to_ids={"<s>": 0, "</s>": 2}.__getitem__)
    XLMRobertaTokenizerFast(tokenizer_object=XLMRobertaConverter(slow).converted()).save_pretrained(encoder)
    # xlm-roberta-base's shape: the full 250,002-row vocabulary, so the parameter count is the real model's.
    XLMRobertaConfig(vocab_size=250002, hidden_size=768, num_hidden_layers=12, num_attention_heads=12, intermediate_size=3072,
                     max_position_embeddings=514, type_vocab_size=1, layer_norm_eps=1e-5, pad_token_id=1, bos_token_id=0,
                     eos_token_id=2).save_pretrained(encoder)
    digest = hashlib.sha1(b"pharos bench xlm-r").hexdigest()
    repo = os.path.join(a.dir, "hf-cache", "models--" + ENCODER_NAME.replace("/", "--"))
    shutil.rmtree(repo, ignore_errors=True)
    shutil.copytree(encoder, os.path.join(repo, "snapshots", digest))
    os.makedirs(os.path.join(repo, "refs"))
    with open(os.path.join(repo, "refs", "main"), "w") as f:
        f.write(digest)

    from comet.models import RegressionMetric
    torch.manual_seed(0)
    model = RegressionMetric(pretrained_model=ENCODER_NAME, load_pretrained_weights=False, layer_transformation="sparsemax",
                             layer_norm=False, hidden_sizes=[3072, 1024], activations="Tanh")
    with torch.no_grad():
        for i, p in enumerate(model.layerwise_attention.scalar_parameters):
            p.fill_(0.1 * (i % 5))
    folder = os.path.join(a.dir, "model")
    os.makedirs(os.path.join(folder, "checkpoints"), exist_ok=True)
    torch.save(model.to_checkpoint(), os.path.join(folder, "checkpoints", "model.ckpt"))
    with open(os.path.join(folder, "hparams.yaml"), "w") as f:
        yaml.dump(dict(model.hparams), f)
    print(json.dumps({"parameters": sum(p.numel() for p in model.parameters()), "model": folder, "encoder": encoder}))


def score(a):
    from comet import load_from_checkpoint
    read = lambda path: [line.rstrip("\n") for line in open(path, encoding="utf-8")]
    src, mt, ref = read(a.src), read(a.mt), read(a.ref)
    samples = [{"src": s, "mt": m, "ref": r} for s, m, r in zip(src, mt, ref)]
    model = load_from_checkpoint(os.path.join(a.dir, "model", "checkpoints", "model.ckpt"))
    start = time.perf_counter()
    out = model.predict(samples, batch_size=a.batch_size, gpus=0, progress_bar=False)
    seconds = time.perf_counter() - start
    if a.scores_out:
        with open(a.scores_out, "w") as f:
            json.dump(out.scores, f)
    print(json.dumps({"seconds": seconds, "segments_per_s": len(samples) / seconds, "system_score": out.system_score,
                      "threads": a.threads}))


if __name__ == "__main__":
    main()
