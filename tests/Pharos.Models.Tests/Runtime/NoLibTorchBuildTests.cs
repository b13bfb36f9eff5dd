// -p:PharosNoLibTorch=true swaps TorchSharp-cpu (which carries libtorch) for TorchSharp alone, so a CUDA libtorch can be used.
using System.Diagnostics;
using System.Text.Json.Nodes;
using Pharos.Tests;

namespace Pharos.Models.Tests.Runtime;

public class NoLibTorchBuildTests
{
    static string[] PackageReferences(params string[] properties)
    {
        var project = Path.Combine(RepoPaths.Root, "src", "Pharos.Models", "Pharos.Models.csproj");
        var psi = new ProcessStartInfo("dotnet", ["msbuild", project, "-getItem:PackageReference", .. properties]) { RedirectStandardOutput = true };
        using var p = Process.Start(psi)!;
        var json = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
        return JsonNode.Parse(json)!["Items"]!["PackageReference"]!.AsArray().Select(i => (string)i!["Identity"]!).ToArray();
    }

    [Fact]
    public void Default_build_carries_the_cpu_libtorch_and_the_switch_leaves_it_out()
    {
        Assert.Contains("TorchSharp-cpu", PackageReferences());
        var without = PackageReferences("-p:PharosNoLibTorch=true");
        Assert.DoesNotContain("TorchSharp-cpu", without);
        Assert.Contains("TorchSharp", without);
    }
}
