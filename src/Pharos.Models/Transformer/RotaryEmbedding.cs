// Rotary position embedding (rotate-half layout, as HF checkpoints expect), with 'linear' and 'llama3' frequency scaling.
using Pharos.Models.Config;
using static TorchSharp.torch;

namespace Pharos.Models.Transformer;

public sealed class RotaryEmbedding : IDisposable
{
    readonly Tensor invFreq; // [headDim/2], float32

    public RotaryEmbedding(int headDim, double theta, RopeScaling? scaling, Device device)
    {
        using var scope = NewDisposeScope();
        var exponents = arange(0, headDim, 2, dtype: int64, device: device).to(float32) / headDim;
        var freq = full_like(exponents, theta).pow(exponents).reciprocal();
        freq = scaling?.Type switch
        {
            null => freq,
            "linear" => freq / scaling.Factor,
            "llama3" => Llama3(freq, scaling),
            _ => throw new ArgumentException($"rope scaling '{scaling.Type}' is not supported"),
        };
        invFreq = freq.MoveToOuterDisposeScope();
    }

    /// <summary>Llama 3.1's band-wise rescaling: long wavelengths divided by the factor, short kept, the middle interpolated.</summary>
    static Tensor Llama3(Tensor invFreq, RopeScaling s)
    {
        double lowFreqWavelen = s.OriginalMaxPositionEmbeddings / s.LowFreqFactor;
        double highFreqWavelen = s.OriginalMaxPositionEmbeddings / s.HighFreqFactor;
        var wavelen = 2 * Math.PI / invFreq;
        var scaled = where(wavelen > lowFreqWavelen, invFreq / s.Factor, invFreq);
        var smooth = (s.OriginalMaxPositionEmbeddings / wavelen - s.LowFreqFactor) / (s.HighFreqFactor - s.LowFreqFactor);
        var smoothed = (1 - smooth) * scaled / s.Factor + smooth * scaled;
        var isMedium = (wavelen >= highFreqWavelen).logical_and(wavelen <= lowFreqWavelen);
        return where(isMedium, smoothed, scaled);
    }

    /// <summary>cos and sin of shape [B, 1, T, headDim] for the given position ids [B, T], in the given dtype.</summary>
    public (Tensor Cos, Tensor Sin) CosSin(Tensor positionIds, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var freqs = positionIds.to(float32).unsqueeze(-1) * invFreq.to(positionIds.device);
        var emb = cat([freqs, freqs], -1).unsqueeze(1);
        var cos = emb.cos().to(dtype);
        var sin = emb.sin().to(dtype);
        return (cos.MoveToOuterDisposeScope(), sin.MoveToOuterDisposeScope());
    }

    /// <summary>cos and sin of positions [0, Count) in bfloat16, [Count, headDim] each on the pinned heap, for Pharos's
    /// decoding step: each row equals what <see cref="CosSin"/> gives for that position, bit for bit.</summary>
    internal sealed class Bf16Table(ushort[] cos, ushort[] sin, int count)
    {
        public readonly ushort[] Cos = cos, Sin = sin;
        public readonly int Count = count;
    }

    Bf16Table? table;
    readonly object tableGate = new();

    /// <summary>The table covering positions [0, <paramref name="positions"/>), grown (doubling) with CosSin's own ops;
    /// null where its rows could differ from a step's CosSin. libtorch computes cos/sin of the vectorised part of a
    /// tensor with SLEEF and of a remainder of fewer than 32 elements with the C library, whose results differ in the
    /// last bit now and then; with a head dim that is a multiple of 32 every element of both the step's [rows, headDim]
    /// and the table's blocks (≤ 16,384 elements, so never split between threads) lies in the vectorised part.</summary>
    internal Bf16Table? DecodeTable(long positions)
    {
        int d = (int)invFreq.shape[0] * 2;
        if (d % 32 != 0 || invFreq.device_type != TorchSharp.DeviceType.CPU || positions > int.MaxValue / d) return null;
        var current = Volatile.Read(ref table);
        if (current is not null && current.Count >= positions) return current;
        lock (tableGate)
        {
            if (table is not null && table.Count >= positions) return table;
            int block = Math.Max(1, 16384 / d);
            int count = (int)Math.Max(positions, Math.Max(1024, 2L * (table?.Count ?? 0)));
            count = (count + block - 1) / block * block;
            var cos = GC.AllocateUninitializedArray<ushort>(count * d, pinned: true);
            var sin = GC.AllocateUninitializedArray<ushort>(count * d, pinned: true);
            for (int start = 0; start < count; start += block)
            {
                using var scope = NewDisposeScope();
                var (c, s) = CosSin(arange(start, start + block, dtype: int64).view(1, block), bfloat16);
                unsafe
                {
                    new ReadOnlySpan<ushort>(Kernels.TensorMemory.Data(c), block * d).CopyTo(cos.AsSpan(start * d));
                    new ReadOnlySpan<ushort>(Kernels.TensorMemory.Data(s), block * d).CopyTo(sin.AsSpan(start * d));
                }
            }
            Volatile.Write(ref table, new Bf16Table(cos, sin, count));
            return table;
        }
    }

    /// <summary>x * cos + rotate_half(x) * sin, x of shape [B, heads, T, headDim].</summary>
    public static Tensor Apply(Tensor x, Tensor cos, Tensor sin)
    {
        if (Kernels.RotaryTrainingKernel.Applies(x, cos, sin)) return Kernels.RotaryTrainingKernel.Run(x, cos, sin);
        using var scope = NewDisposeScope();
        long half = x.shape[^1] / 2;
        var rotated = cat([x.narrow(-1, half, half).neg(), x.narrow(-1, 0, half)], -1);
        return (x * cos + rotated * sin).MoveToOuterDisposeScope();
    }

    public void Dispose() => invFreq.Dispose();
}
