// One header entry: a tensor's name, dtype, shape and byte range (relative to the start of the data area).
namespace Pharos.Models.Safetensors;

public sealed record SafetensorsTensorInfo(string Name, SafetensorsDType DType, long[] Shape, long DataBegin, long DataEnd)
{
    public long ByteLength => DataEnd - DataBegin;
}
