// act(gate) · up for a few rows, reading the fused gate/up projection [.., 2I] directly: one pass instead of a split,
// the activation and a product, rounding after each step as eager bfloat16 code does (act(g) and the product).
using static TorchSharp.torch;

namespace Pharos.Models.Kernels;

internal static unsafe class GatedActivationKernel
{
    public const int MaxRows = 64;

    public static bool Applies(Tensor gateUp, string activation) =>
        SmallBatchMatmul.Enabled && TensorMemory.Readable(gateUp) && gateUp.numel() <= MaxRows * gateUp.shape[^1]
        && activation is "silu" or "swish" or "gelu_pytorch_tanh" or "gelu_new"
        && InferenceKernels.Allowed;

    /// <param name="gateUp">[..., 2I]: the gate projection, then the up projection.</param>
    public static Tensor Run(Tensor gateUp, string activation)
    {
        int width = (int)gateUp.shape[^1], half = width / 2, rows = (int)(gateUp.numel() / width);
        bool bf16 = gateUp.dtype == ScalarType.BFloat16, silu = activation is "silu" or "swish";
        var output = empty([.. gateUp.shape[..^1], half], gateUp.dtype, gateUp.device);
        void* input = TensorMemory.Data(gateUp), result = TensorMemory.Data(output);
        fixed (float* row = TensorMemory.Scratch(0, width))
        {
            for (int r = 0; r < rows; r++)
            {
                TensorMemory.Read(input, bf16, (long)r * width, row, width);
                for (int i = 0; i < half; i++)
                {
                    float g = row[i];
                    float act = silu ? g / (1f + MathF.Exp(-g)) : 0.5f * g * (1f + MathF.Tanh(0.7978845608f * (g + 0.044715f * g * g * g)));
                    row[i] = TensorMemory.Round(act, bf16) * row[half + i];
                }
                TensorMemory.Write(row, result, bf16, (long)r * half, half);
            }
        }
        return output;
    }
}
