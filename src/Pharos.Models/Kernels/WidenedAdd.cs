// target += source for a float32 target and a bfloat16 source, in one pass: libtorch's add_ with these dtypes first makes
// a float32 copy of the whole source (its CPU kernels take one dtype), which for the LM-head weight's gradient at a 256k
// vocabulary is gigabytes per chunk. Widening bf16 is exact and each element gets one float32 addition, as add_ does.
using System.Runtime.Intrinsics;
using static TorchSharp.torch;

namespace Pharos.Models.Kernels;

public static unsafe class WidenedAdd
{
    /// <summary>Contiguous CPU tensors of equal size: float32 <paramref name="target"/>, bfloat16 <paramref name="source"/>, on a CPU with AVX-512.</summary>
    public static bool Applies(Tensor target, Tensor source) =>
        TrainingKernels.Vectorized && target.dtype == ScalarType.Float32 && source.dtype == ScalarType.BFloat16
        && target.device_type == TorchSharp.DeviceType.CPU && source.device_type == TorchSharp.DeviceType.CPU
        && target.is_contiguous() && source.is_contiguous() && target.numel() == source.numel();

    /// <summary>target += source where <see cref="Applies"/>, else libtorch's add_.</summary>
    public static void Into(Tensor target, Tensor source)
    {
        if (!Applies(target, source))
        {
            target.add_(source);
            return;
        }
        var to = (float*)TensorMemory.Data(target);
        var from = (ushort*)TensorMemory.Data(source);
        long n = target.numel();
        var pool = KernelPool.Shared;
        int threads = pool.Threads;
        pool.Run(t =>
        {
            // Blocks of 16 elements per thread, so that no two threads share a vector.
            long blocks = (n + 15) / 16, begin = blocks * t / threads * 16, end = Math.Min(n, blocks * (t + 1) / threads * 16);
            long i = begin;
            for (; i + 16 <= end; i += 16) (Vector512.Load(to + i) + TensorMemory.LoadBfloat16(from + i)).Store(to + i);
            for (; i < end; i++) to[i] += TensorMemory.FromBfloat16(from[i]);
        });
    }
}
