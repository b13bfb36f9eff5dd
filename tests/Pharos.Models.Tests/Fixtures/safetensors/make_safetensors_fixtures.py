# Writes the safetensors reference fixture (every dtype, a 0-d scalar, a zero-size dim, metadata) with the real Python safetensors.
import json
import struct
import sys

import safetensors
import torch
from safetensors.torch import save_file

OUT = sys.argv[1] if len(sys.argv) > 1 else "."

tensors = {
    "f64": torch.tensor([[1.0, -2.5, 1e-300], [3.141592653589793, -0.0, 1.7976931348623157e308]], dtype=torch.float64),
    "f32": torch.tensor([1.5, -2.25, 3.0e38], dtype=torch.float32),
    "emb.weight": torch.tensor([[0.1, 0.2], [-0.3, 1e-40]], dtype=torch.float32),
    "f16": torch.tensor([[0.5, -1.0], [65504.0, 6.103515625e-05]], dtype=torch.float16),
    "bf16": torch.tensor([1.0, -2.5, 3.3895313892515355e38, 0.0078125], dtype=torch.bfloat16),
    "i64": torch.tensor([-9223372036854775808, 9223372036854775807], dtype=torch.int64),
    "i32": torch.tensor(-123456, dtype=torch.int32),
    "i16": torch.zeros((3, 0), dtype=torch.int16),
    "i8": torch.tensor([-128, -1, 0, 127], dtype=torch.int8),
    "u8": torch.tensor([[0, 1], [254, 255]], dtype=torch.uint8),
    "bool": torch.tensor([True, False, True, True, False], dtype=torch.bool),
    'layer.0/\u00fc "q"': torch.tensor([7.0], dtype=torch.float32),
}
metadata = {"format": "pt", "note": 'n\u00efce "quoted" \\ back\nnewline\ttab', "empty": ""}

path = f"{OUT}/every_dtype.safetensors"
save_file(tensors, path, metadata=metadata)

with open(path, "rb") as f:
    raw = f.read()
n = struct.unpack("<Q", raw[:8])[0]
header_text = raw[8 : 8 + n].decode("utf-8")
header = json.loads(header_text, object_pairs_hook=lambda pairs: pairs)

values = {
    "versions": {"safetensors": safetensors.__version__, "torch": torch.__version__, "python": sys.version.split()[0]},
    "file_size": len(raw),
    "header_length": n,
    # The header exactly as written (padding included), then its entries in file order.
    "header_text": header_text,
    "metadata": [list(kv) for k, v in header if k == "__metadata__" for kv in v],
    "header_tensors": [
        [k, dict(v)["dtype"], dict(v)["shape"], dict(v)["data_offsets"]] for k, v in header if k != "__metadata__"
    ],
    "tensors": {
        name: {
            "dtype": str(t.dtype).removeprefix("torch."),
            "shape": list(t.shape),
            "values": (t.float() if t.dtype in (torch.float16, torch.bfloat16) else t).flatten().tolist(),
        }
        for name, t in tensors.items()
    },
}
with open(f"{OUT}/every_dtype.values.json", "w", encoding="utf-8") as f:
    json.dump(values, f, indent=1, ensure_ascii=False)
    f.write("\n")
