// Whether training takes Pharos's fused paths (LoRA's branch accumulated into the base product, the LM-head cross-entropy
// kernel, the one-pass AdamW): on unless PHAROS_KERNELS=off, like the decoding kernels. Each fused path computes the same
// sums as the plain libtorch ops it replaces (rounded fewer times); the switch exists to compare the two in one process.
using System.Runtime.Intrinsics.X86;

namespace Pharos.Models.Kernels;

public static class TrainingKernels
{
    /// <summary>False when PHAROS_KERNELS=off; the kernels that need AVX-512 check for it themselves.</summary>
    public static bool Enabled { get; set; } =
        !string.Equals(Environment.GetEnvironmentVariable("PHAROS_KERNELS"), "off", StringComparison.OrdinalIgnoreCase);

    /// <summary>The hand-written kernels (cross-entropy, AdamW) also need AVX-512.</summary>
    public static bool Vectorized => Enabled && Avx512F.IsSupported;
}
