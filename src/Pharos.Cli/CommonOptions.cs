// Options shared by many commands: --verbose everywhere; --device and --dtype on every command that runs a model.
using System.CommandLine;

namespace Pharos.Cli;

internal static class CommonOptions
{
    public static readonly Option<bool> Verbose = new("--verbose", "-v")
    {
        Description = "Show full stack traces on errors.",
        Recursive = true,
    };

    public static Option<string> Device() => new("--device")
    {
        Description = "Where to run: cpu or cuda (cuda:N for a given GPU).",
        DefaultValueFactory = _ => "cpu",
    };

    /// <summary>--dtype of the commands that only run inference (generate, translate, chat, serve, eval).</summary>
    public static Option<string> InferenceDType() => new("--dtype")
    {
        Description = "Weights and compute dtype: auto (bfloat16 on CUDA and on CPUs with AVX512-BF16 or AMX, else float32), float32, bfloat16 or float16.",
        DefaultValueFactory = _ => "auto",
    };

    public static Option<string> DType() => new("--dtype")
    {
        Description = "Weights and compute dtype: float32, bfloat16 or float16 (default: float32).",
        DefaultValueFactory = _ => "float32",
    };
}
