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

    /// <summary>x * cos + rotate_half(x) * sin, x of shape [B, heads, T, headDim].</summary>
    public static Tensor Apply(Tensor x, Tensor cos, Tensor sin)
    {
        using var scope = NewDisposeScope();
        long half = x.shape[^1] / 2;
        var rotated = cat([x.narrow(-1, half, half).neg(), x.narrow(-1, 0, half)], -1);
        return (x * cos + rotated * sin).MoveToOuterDisposeScope();
    }

    public void Dispose() => invFreq.Dispose();
}
