// Names of tensor dtypes as users type them (--dtype) and as config.json writes them ("bfloat16").
using Pharos.Models.Config;
using Pharos.Models.Errors;
using static TorchSharp.torch;

namespace Pharos.Models;

public static class DTypes
{
    public static ScalarType Parse(string name) => name.ToLowerInvariant() switch
    {
        "float32" or "fp32" or "f32" or "float" => float32,
        "bfloat16" or "bf16" => bfloat16,
        "float16" or "fp16" or "f16" or "half" => float16,
        _ => throw new PharosException($"unknown dtype '{name}' (use float32, bfloat16 or float16)"),
    };

    /// <summary>
    /// "auto": the dtype the checkpoint was saved in (config.json's dtype/torch_dtype; float32 when it names none), so a
    /// bfloat16 checkpoint is built and loaded as bfloat16 — its weights never pass through a float32 copy. Any other name
    /// as <see cref="Parse"/>.
    /// </summary>
    public static ScalarType Resolve(string name, ModelConfig? config) =>
        name.Equals("auto", StringComparison.OrdinalIgnoreCase)
            ? config?.TorchDType is string saved && saved is "bfloat16" or "float16" or "float32" ? Parse(saved) : float32
            : Parse(name);

    /// <summary>Pharos computes in float32 unless asked otherwise, whatever dtype the checkpoint was saved in.</summary>
    public static ScalarType FromConfig(ModelConfig config) => float32;

    /// <summary>The dtype inference runs in unless told otherwise: bfloat16 where the hardware computes it natively
    /// (CUDA; CPUs with AVX512-BF16 or AMX, where oneDNN's bf16 matmuls run ~4x faster than float32 ones), else float32.</summary>
    public static ScalarType InferenceDefault(Device device) =>
        device.type == TorchSharp.DeviceType.CUDA || device.type == TorchSharp.DeviceType.CPU && CpuComputesBfloat16.Value ? bfloat16 : float32;

    /// <summary>--dtype of the inference commands: "auto" is <see cref="InferenceDefault"/>, anything else as <see cref="Parse"/>.</summary>
    public static ScalarType ParseInference(string name, Device device) =>
        name.Equals("auto", StringComparison.OrdinalIgnoreCase) ? InferenceDefault(device) : Parse(name);

    static readonly Lazy<bool> CpuComputesBfloat16 = new(() =>
    {
        // .NET has no intrinsic class for AVX512-BF16 or AMX; the kernel lists both in the CPU flags.
        const string cpuinfo = "/proc/cpuinfo";
        if (!OperatingSystem.IsLinux() || !File.Exists(cpuinfo)) return false;
        var flags = File.ReadLines(cpuinfo).FirstOrDefault(l => l.StartsWith("flags", StringComparison.Ordinal));
        return flags is not null && flags.Split(' ', ':', '\t').Any(f => f is "avx512_bf16" or "amx_bf16");
    });

    public static string ToConfigName(ScalarType t) => t switch
    {
        ScalarType.Float32 => "float32",
        ScalarType.BFloat16 => "bfloat16",
        ScalarType.Float16 => "float16",
        _ => t.ToString().ToLowerInvariant(),
    };

    public static Device ParseDevice(string name)
    {
        try
        {
            var device = new Device(name);
            if (device.type == TorchSharp.DeviceType.CUDA && !cuda.is_available())
                throw new PharosException($"--device {name}: CUDA is not available (is a CUDA libtorch on LD_LIBRARY_PATH? see docs/GPU.md)");
            return device;
        }
        catch (ArgumentException)
        {
            throw new PharosException($"unknown device '{name}' (use cpu or cuda)");
        }
    }
}
