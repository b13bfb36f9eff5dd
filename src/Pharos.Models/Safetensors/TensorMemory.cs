// Raw-byte access to contiguous CPU tensors, so loading and saving is one memcpy instead of a per-element loop.
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TorchSharp;

namespace Pharos.Models.Safetensors;

public static class TensorMemory
{
    /// <summary>Byte length of a tensor's elements (numel × element size).</summary>
    public static long ByteLength(torch.Tensor t) => checked(t.numel() * t.ElementSize);

    /// <summary>
    /// Address of the first element of a contiguous CPU tensor with at least one element.
    /// TorchSharp 0.107 exposes no data_ptr(); the `bytes` span of a one-element view that starts at the
    /// same address gives it without the span's 2 GiB limit applying to the whole tensor.
    /// </summary>
    public static unsafe byte* DataPointer(torch.Tensor t)
    {
        if (t.device_type != DeviceType.CPU || !t.is_contiguous())
            throw new InvalidOperationException("tensor must be contiguous and on the CPU");
        if (t.numel() == 0)
            throw new InvalidOperationException("tensor has no elements");
        using var flat = t.view(-1);
        using var first = flat.narrow(0, 0, 1);
        return (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(first.bytes));
    }

    /// <summary>Copies <paramref name="length"/> bytes from <paramref name="source"/> into a fresh contiguous CPU tensor.</summary>
    public static unsafe void CopyInto(torch.Tensor destination, byte* source, long length)
    {
        if (length == 0)
            return;
        if (ByteLength(destination) != length)
            throw new InvalidOperationException($"tensor holds {ByteLength(destination)} bytes, not {length}");
        Buffer.MemoryCopy(source, DataPointer(destination), length, length);
    }

    /// <summary>Writes the elements of a tensor to a stream, making a contiguous CPU copy first when needed.</summary>
    public static unsafe void WriteTo(Stream stream, torch.Tensor t)
    {
        if (t.numel() == 0)
            return;
        var cpu = t.device_type == DeviceType.CPU ? t : t.cpu();
        var dense = cpu.is_contiguous() ? cpu : cpu.contiguous();
        try
        {
            var p = DataPointer(dense);
            var remaining = ByteLength(dense);
            // Spans stop at 2 GiB, so very large tensors go out in 1 GiB slices.
            while (remaining > 0)
            {
                var chunk = (int)Math.Min(remaining, 1 << 30);
                stream.Write(new ReadOnlySpan<byte>(p, chunk));
                p += chunk;
                remaining -= chunk;
            }
        }
        finally
        {
            if (!ReferenceEquals(dense, t)) dense.Dispose();
            if (!ReferenceEquals(cpu, t) && !ReferenceEquals(cpu, dense)) cpu.Dispose();
        }
    }
}
