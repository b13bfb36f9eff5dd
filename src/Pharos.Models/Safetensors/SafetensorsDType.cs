// The element types a safetensors header may name (the subset Pharos reads and writes).
namespace Pharos.Models.Safetensors;

public enum SafetensorsDType
{
    F64,
    F32,
    F16,
    BF16,
    I64,
    I32,
    I16,
    I8,
    U8,
    BOOL,
}
