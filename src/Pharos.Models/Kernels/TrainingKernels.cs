// Whether training takes Pharos's fused paths (LoRA's branch accumulated into the base product, the LM-head cross-entropy
// kernel, the RMSNorm forward/backward kernel, the one-pass AdamW): on unless PHAROS_KERNELS=off, like the decoding kernels. Each fused path computes the same
// sums as the plain libtorch ops it replaces (rounded fewer times); the switch exists to compare the two in one process.
using System.Runtime.Intrinsics.X86;

namespace Pharos.Models.Kernels;

public static class TrainingKernels
{
    static readonly bool fromEnvironment =
        KernelEnvironment.On(KernelEnvironment.Kernels);

    [ThreadStatic] static bool? chosen;

    /// <summary>False when PHAROS_KERNELS=off. Setting it holds for the calling thread only (the thread that runs the
    /// training loop decides), so a test or bench comparing the two paths does not switch another thread's run midway.</summary>
    public static bool Enabled
    {
        get => chosen ?? fromEnvironment;
        set => chosen = value;
    }

    /// <summary>The hand-written kernels (cross-entropy, RMSNorm, AdamW) also need AVX-512.</summary>
    public static bool Vectorized => Enabled && Avx512F.IsSupported;
}
