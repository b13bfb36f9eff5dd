// The environment switches that turn Pharos's own kernels off for comparisons (PHAROS_KERNELS=off for every kernel,
// PHAROS_DECODE_STEP=off for the whole-step decoding routine only, PHAROS_MATMUL_STEALING=off for fixed parts per thread in
// the decoding matmul, PHAROS_INPLACE_SAMPLING=off for sampling through libtorch's tensor ops, PHAROS_PACKED_PREFILL=off
// for prefilling prompts one at a time, PHAROS_TRAINING_ATTENTION=off for libtorch's attention in bf16 training,
// PHAROS_KERNEL_THREADS=own for kernels on threads of their own instead of libtorch's OpenMP team), read in one place so
// each is spelled and parsed alike.
namespace Pharos.Models.Kernels;

internal static class KernelEnvironment
{
    public const string Kernels = "PHAROS_KERNELS", DecodeStep = "PHAROS_DECODE_STEP", MatmulStealing = "PHAROS_MATMUL_STEALING",
        InPlaceSampling = "PHAROS_INPLACE_SAMPLING", PackedPrefill = "PHAROS_PACKED_PREFILL", TrainingAttention = "PHAROS_TRAINING_ATTENTION",
        KernelThreads = "PHAROS_KERNEL_THREADS";

    /// <summary>True unless the variable is set to "off" (any case).</summary>
    public static bool On(string variable) =>
        !string.Equals(Environment.GetEnvironmentVariable(variable), "off", StringComparison.OrdinalIgnoreCase);
}
