# One-off compatibility check: Python safetensors/huggingface_hub read the files Pharos' C# writer made (see README.md).
import json
import struct
import sys

import torch
from huggingface_hub import split_torch_state_dict_into_shards
from safetensors import safe_open
from safetensors.torch import load_file, save_file

root = sys.argv[1]
single = f"{root}/single.safetensors"
folder = f"{root}/sharded"
ORDER = ["model.f64", "model.f32", "model.f32_scalar", "model.f16", "model.bf16", "model.i64",
         "model.i32", "model.i16", "model.i8", "model.u8", "model.bool"]  # SafetensorsTestFiles.EveryDType order

with safe_open(single, framework="pt") as f:
    meta = f.metadata()
    tensors = {k: f.get_tensor(k) for k in f.keys()}
print("single: metadata", meta)
print("single:", {k: (str(v.dtype), list(v.shape)) for k, v in tensors.items()})
assert sorted(tensors) == sorted(ORDER)

# Python re-saving the same tensors must give the same data area and header entries (metadata order is a Rust HashMap's).
save_file(load_file(single), "/tmp/py_resave.safetensors", metadata=meta)
def parts(path):
    raw = open(path, "rb").read()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + n], object_pairs_hook=list)
    return n, [kv for kv in header if kv[0] != "__metadata__"], dict(dict(header).get("__metadata__", [])), raw[8 + n:]
assert parts(single) == parts("/tmp/py_resave.safetensors"), "python re-save differs"
print("single: python re-save has identical header length, tensor entries, metadata and data")

index_text = open(f"{folder}/model.safetensors.index.json", encoding="utf-8").read()
index = json.loads(index_text)
assert index_text == json.dumps(index, indent=2, sort_keys=True) + "\n", "index text is not json.dumps(indent=2, sort_keys=True)"
for name, shard in index["weight_map"].items():
    with safe_open(f"{folder}/{shard}", framework="pt") as f:
        t = f.get_tensor(name)
        assert f.metadata() == meta
    assert t.dtype == tensors[name].dtype and torch.equal(t, tensors[name]), name
split = split_torch_state_dict_into_shards({k: tensors[k] for k in ORDER}, max_shard_size=64)
assert split.tensor_to_filename == index["weight_map"], (split.tensor_to_filename, index["weight_map"])
assert split.metadata["total_size"] == index["metadata"]["total_size"]
print(f"sharded: {len(set(index['weight_map'].values()))} shards read; weight_map and total_size equal huggingface_hub's split")
print("OK")
