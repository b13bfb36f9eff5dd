// One tensor of a GGUF file: its name, its shape in PyTorch order (outermost first; the file stores ggml's reversed
// order), its ggml type, and a callback that writes its bytes when the writer reaches it, so a model is never held twice.
namespace Pharos.Models.Gguf;

public sealed record GgufTensor(string Name, long[] Shape, GgmlType Type, Action<Stream> WriteData)
{
    public long Elements => Shape.Aggregate(1L, (a, b) => a * b);

    public long ByteSize => GgmlTypes.ByteSize(Type, Elements);
}
