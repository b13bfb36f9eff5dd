// A flat, contiguous host tensor of the dtype MPI is given: the tensor itself (viewed) when it already is one, else a
// copy (from a GPU, or bf16 widened to float32) that WriteBack copies into the original.
using TorchSharp;
using static TorchSharp.torch;

namespace Pharos.Training.Distributed;

internal sealed class HostCopy : IDisposable
{
    readonly Tensor original;
    readonly bool copied;

    /// <remarks>Called under no_grad: the view may be of a parameter, which MPI then writes in place.</remarks>
    public HostCopy(Tensor tensor, ScalarType dtype)
    {
        original = tensor;
        copied = !(tensor.device_type == DeviceType.CPU && tensor.is_contiguous() && tensor.dtype == dtype);
        using var scope = NewDisposeScope();
        Flat = (copied ? tensor.to(dtype, CPU).contiguous().view(-1) : tensor.view(-1)).MoveToOuterDisposeScope();
        Type = dtype switch
        {
            ScalarType.Float32 => MpiType.Float32,
            ScalarType.Float64 => MpiType.Float64,
            ScalarType.Int64 => MpiType.Int64,
            _ => MpiType.Byte,
        };
    }

    public Tensor Flat { get; }

    /// <summary>The MPI datatype of <see cref="Flat"/>'s elements (Byte for dtypes only ever copied, never reduced).</summary>
    public MpiType Type { get; }

    public void WriteBack()
    {
        if (!copied) return;
        using var noGrad = no_grad();
        using var shaped = Flat.view(original.shape);
        original.copy_(shaped);
    }

    public void Dispose() => Flat.Dispose();
}
