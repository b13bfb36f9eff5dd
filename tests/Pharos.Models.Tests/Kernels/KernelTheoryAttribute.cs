// A theory about Pharos's decoding kernels, which run on AVX-512 CPUs only (and not under PHAROS_KERNELS=off or
// PHAROS_DECODE_STEP=off): elsewhere it is reported as skipped, not passed.
using System.Runtime.Intrinsics.X86;
using Pharos.Models.Kernels;

namespace Pharos.Models.Tests.Kernels;

public sealed class KernelTheoryAttribute : TheoryAttribute
{
    public KernelTheoryAttribute()
    {
        if (!Avx512F.IsSupported) Skip = "no AVX-512 on this CPU: the decoding kernels never run";
        else if (!SmallBatchMatmul.Enabled || !DecodeStepKernel.Enabled) Skip = "the decoding kernels are switched off (PHAROS_KERNELS / PHAROS_DECODE_STEP)";
    }
}

/// <summary>A single test about the decoding kernels, skipped where they never run (see <see cref="KernelTheoryAttribute"/>).</summary>
public sealed class KernelFactAttribute : FactAttribute
{
    public KernelFactAttribute()
    {
        if (!Avx512F.IsSupported) Skip = "no AVX-512 on this CPU: the decoding kernels never run";
        else if (!SmallBatchMatmul.Enabled || !DecodeStepKernel.Enabled) Skip = "the decoding kernels are switched off (PHAROS_KERNELS / PHAROS_DECODE_STEP)";
    }
}
