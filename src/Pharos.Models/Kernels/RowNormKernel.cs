// RMSNorm of a few rows in one pass, with transformers' arithmetic: the row in float32, x · 1/√(mean(x²) + eps), then
// Llama/Qwen2 scale by w after casting back to the model dtype (so a bfloat16 model rounds twice, as eager code does),
// Gemma 2 by (1 + w) in float32 before the cast. Used at inference (no gradient), where libtorch would run ~8 ops.
using static TorchSharp.torch;

namespace Pharos.Models.Kernels;

internal static unsafe class RowNormKernel
{
    public const int MaxRows = 64;

    public static bool Applies(Tensor x, Tensor weight) =>
        SmallBatchMatmul.Enabled && TensorMemory.Readable(x) && TensorMemory.Readable(weight) && x.dtype == weight.dtype
        && x.shape[^1] == weight.shape[0] && x.numel() <= MaxRows * weight.shape[0] && x.numel() > 0
        && InferenceKernels.Allowed;

    public static Tensor Run(Tensor x, Tensor weight, double eps, bool addsOne)
    {
        int d = (int)weight.shape[0], rows = (int)(x.numel() / d);
        bool bf16 = x.dtype == ScalarType.BFloat16;
        var output = empty(x.shape, x.dtype, x.device);
        void* input = TensorMemory.Data(x), scale = TensorMemory.Data(weight), result = TensorMemory.Data(output);
        fixed (float* buffer = TensorMemory.Scratch(0, 2 * d))
        {
            float* w = buffer + d, row = buffer;
            TensorMemory.Read(scale, bf16, 0, w, d);
            for (int r = 0; r < rows; r++)
            {
                TensorMemory.Read(input, bf16, (long)r * d, row, d);
                Normalize(row, w, d, eps, addsOne, bf16);
                TensorMemory.Write(row, result, bf16, (long)r * d, d);
            }
        }
        return output;
    }

    /// <summary>One row in place, in float32: x · 1/√(mean(x²) + eps), scaled as the file header says (not yet
    /// rounded to the model dtype: the caller's write does that).</summary>
    public static void Normalize(float* row, float* w, int d, double eps, bool addsOne, bool bf16)
    {
        float squares = 0;
        for (int i = 0; i < d; i++) squares += row[i] * row[i];
        float inverse = 1f / MathF.Sqrt(squares / d + (float)eps);
        for (int i = 0; i < d; i++)
        {
            float normed = row[i] * inverse;
            row[i] = addsOne ? normed * (w[i] + 1f) : w[i] * TensorMemory.Round(normed, bf16);
        }
    }
}
