"""Makes the bench model readable by llama.cpp: a SentencePiece tokenizer with as many pieces as the model's vocabulary
(stories260K's 512 pieces, then plain pieces "▁w<i>" so every id decodes to text on both servers), its tokenizer.json
(through transformers, as Pharos reads it), then GGUF files through llama.cpp's own converter.

usage: python3 llama_cpp_gguf.py MODEL_DIR TOK512_MODEL OUT_DIR TYPE [TYPE...]   (TYPE: f16, f32, bf16, q8_0)
Run inside the Debian sid chroot (python3-sentencepiece, python3-transformers, llama.cpp-tools)."""
import json
import os
import subprocess
import sys

import sentencepiece.sentencepiece_model_pb2 as pb

CONVERTER = "/usr/share/doc/llama.cpp-tools/scripts/convert_hf_to_gguf.py"


def write_tokenizer(model_dir: str, tok512: str) -> None:
    vocab = json.load(open(os.path.join(model_dir, "config.json")))["vocab_size"]
    proto = pb.ModelProto()
    with open(tok512, "rb") as f:
        proto.ParseFromString(f.read())
    lowest = min(p.score for p in proto.pieces)
    for i in range(vocab - len(proto.pieces)):
        piece = proto.pieces.add()
        piece.piece, piece.score, piece.type = f"\u2581w{i}", lowest - 1 - i, pb.ModelProto.SentencePiece.NORMAL
    with open(os.path.join(model_dir, "tokenizer.model"), "wb") as f:
        f.write(proto.SerializeToString())
    # transformers converts a sentencepiece model found as tokenizer.model in a folder (LlamaTokenizer(vocab_file=...)
    # ignores the file in transformers 5).
    from transformers import LlamaTokenizer
    tokenizer = LlamaTokenizer.from_pretrained(model_dir, add_bos_token=True, add_eos_token=False)
    assert len(tokenizer) == vocab, (len(tokenizer), vocab)
    tokenizer.save_pretrained(model_dir)


def main() -> None:
    model_dir, tok512, out_dir, types = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
    if not os.path.exists(os.path.join(model_dir, "tokenizer.json")):
        write_tokenizer(model_dir, tok512)
    for t in types:
        out = os.path.join(out_dir, f"model-{t}.gguf")
        if not os.path.exists(out):
            subprocess.run([sys.executable, CONVERTER, model_dir, "--outtype", t, "--outfile", out], check=True,
                           stdout=subprocess.DEVNULL)
        print(json.dumps({"type": t, "gguf": out}), flush=True)


if __name__ == "__main__":
    main()
