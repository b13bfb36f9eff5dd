// Chooses how libtorch runs float32 matmuls on the CPU: its BLAS (the default, `ieee`) or oneDNN with the bf16 math mode
// allowed (`bf16`) — PyTorch's `torch.backends.mkldnn.matmul.fp32_precision`, which TorchSharp 0.107 does not expose.
// With `bf16`, libtorch sends float32 mm/addmm/bmm (so Linear forward and backward) to oneDNN when the CPU has AVX-512
// (BW/VL/DQ); oneDNN then uses bf16 math only where it has a kernel for it (AMX CPUs), and its own AVX-512 float32 kernel
// elsewhere. On a Zen 4 EPYC (AVX512-BF16, no AMX) that is the whole point: libtorch's bundled MKL takes its AVX2 path on
// AMD, oneDNN's float32 kernel does not. docs/PRECISION.md has the measurements.
//
// The switch is at::Context::setFloat32Precision(Float32Backend, Float32Op, Float32Precision), exported by libtorch_cpu
// with plain enum arguments (no std::string crosses the boundary). The enum values were read from libtorch 2.10's own
// code (the calls setFloat32MatmulPrecision makes, and precision2str): backend MKLDNN = 2, op MATMUL = 3, precision
// NONE = 0, IEEE = 1, TF32 = 2, BF16 = 3. Every change is read back through the exported getter, so a libtorch whose
// symbols or numbering differ is refused with a clear error instead of being trusted.
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Pharos.Models;

public static unsafe class Fp32MatmulPrecision
{
    /// <summary>The settings a recipe may name: `ieee` (libtorch's BLAS, exact float32 as always) or `bf16` (oneDNN, bf16
    /// math allowed where the CPU implements it).</summary>
    public static readonly string[] Names = ["ieee", "bf16"];

    const int MkldnnBackend = 2, MatmulOp = 3;
    const int PrecisionNone = 0, PrecisionIeee = 1, PrecisionBf16 = 3;

    const string ContextSymbol = "_ZN2at13globalContextEv";
    const string SetterSymbol = "_ZN2at7Context19setFloat32PrecisionENS_14Float32BackendENS_9Float32OpENS_16Float32PrecisionE";
    const string GetterSymbol = "_ZNK2at7Context16float32PrecisionENS_14Float32BackendENS_9Float32OpE";

    static readonly Lazy<Bindings> Native = new(Bind);

    sealed class Bindings(nint context, delegate* unmanaged<nint, int, int, int, void> set, delegate* unmanaged<nint, int, int, int> get)
    {
        public int Read() => get(context, MkldnnBackend, MatmulOp);
        public void Write(int precision) => set(context, MkldnnBackend, MatmulOp, precision);
    }

    /// <summary>The current setting of this process: `bf16` or `ieee` (libtorch's default `none` reads as `ieee`).</summary>
    public static string Current => Read() == PrecisionBf16 ? "bf16" : "ieee";

    /// <summary>Sets the float32 matmul precision of this process (libtorch's global context) and returns the previous
    /// setting, for the caller to restore.</summary>
    public static string Set(string name)
    {
        int wanted = name switch
        {
            "ieee" => PrecisionIeee,
            "bf16" => PrecisionBf16,
            _ => throw new ArgumentException($"fp32 matmul precision must be one of {string.Join(", ", Names)}, not '{name}'", nameof(name)),
        };
        string previous = Current;
        if (previous == name) return previous;
        // `ieee` goes back to libtorch's untouched default (`none`, which means the same) so nothing else can tell.
        Native.Value.Write(wanted == PrecisionIeee ? PrecisionNone : wanted);
        if (Current != name)
            throw new InvalidOperationException($"libtorch did not take fp32 matmul precision '{name}' (reads back {Read()}); this libtorch's at::Context differs from 2.10's");
        return previous;
    }

    /// <summary>Sets <paramref name="name"/> until the returned scope is disposed, then puts the previous setting back.
    /// `ieee` in a process that never changed the setting touches nothing native: libtorch's own default stays as it was.</summary>
    public static IDisposable Use(string name)
    {
        if (name == "ieee" && !Native.IsValueCreated) return new Restore(null);
        return new Restore(Set(name));
    }

    sealed class Restore(string? previous) : IDisposable
    {
        public void Dispose()
        {
            if (previous is not null) Set(previous);
            previous = null;
        }
    }

    static int Read() => Native.Value.Read();

    static Bindings Bind()
    {
        // Loading TorchSharp's native side first makes libtorch_cpu resident, so the name resolves to that very copy.
        InitializeDeviceType(TorchSharp.DeviceType.CPU);
        if (!NativeLibrary.TryLoad("libtorch_cpu.so", typeof(TorchSharp.torch).Assembly, null, out var library)
            && !NativeLibrary.TryLoad("libtorch_cpu.so", out library))
            throw new PlatformNotSupportedException("fp32 matmul precision: libtorch_cpu.so could not be opened (Linux libtorch only)");
        nint Export(string symbol) => NativeLibrary.TryGetExport(library, symbol, out var address) ? address
            : throw new PlatformNotSupportedException($"fp32 matmul precision: libtorch_cpu.so does not export {symbol} (libtorch 2.10's at::Context)");
        var context = ((delegate* unmanaged<nint>)Export(ContextSymbol))();
        var bindings = new Bindings(context, (delegate* unmanaged<nint, int, int, int, void>)Export(SetterSymbol),
            (delegate* unmanaged<nint, int, int, int>)Export(GetterSymbol));
        int initial = bindings.Read();
        if (initial is < PrecisionNone or > PrecisionBf16)
            throw new InvalidOperationException($"fp32 matmul precision: libtorch reads back {initial}, not a Float32Precision of libtorch 2.10");
        return bindings;
    }
}
