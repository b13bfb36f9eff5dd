// Finds the bundled samples/ folder: next to the repository the command was built from, or PHAROS_SAMPLES.
using Pharos.Models.Errors;

namespace Pharos.Cli;

internal static class SamplePaths
{
    public static string Root { get; } = Find();

    static string Find()
    {
        if (Environment.GetEnvironmentVariable("PHAROS_SAMPLES") is { Length: > 0 } env) return env;
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (Directory.Exists(Path.Combine(dir.FullName, "samples", "models")))
                    return Path.Combine(dir.FullName, "samples");
        throw new PharosException("samples/ not found: run pharos from its repository or set PHAROS_SAMPLES");
    }
}
