// `pharos` re-executes itself with tcmalloc preloaded where it is installed (tests/run.sh installs it) and records the
// allocator in the run's manifest; the allocator changes where tensors live, never a number of the run.
using System.Text.Json.Nodes;
using Pharos.Models;
using Pharos.Tests;

namespace Pharos.Training.Tests.Training;

public class AllocatorTests
{
    static string Allocator(string run) => (string)JsonNode.Parse(File.ReadAllText(Path.Combine(run, "manifest.json")))!["allocator"]!;

    [Fact]
    public void Tcmalloc_where_installed_and_glibc_on_request_give_the_same_run()
    {
        using var dir = new TempDir();
        var recipe = KillResumeTests.Setup(dir);
        var preloaded = dir.File("preloaded");
        var (code, _, err) = PharosProcess.Run("train", "--recipe", recipe, "--set", $"output={preloaded}", "--set", "train.max_steps=6");
        Assert.True(code == 0, err);
        var system = dir.File("system");
        (code, _, err) = PharosProcess.Run(new Dictionary<string, string> { [NativeAllocator.ChoiceVariable] = "system" },
            "train", "--recipe", recipe, "--set", $"output={system}", "--set", "train.max_steps=6");
        Assert.True(code == 0, err);

        // The test host itself runs on glibc (nothing preloads it); the CLI preloads the installed tcmalloc unless told not to.
        Assert.Equal("glibc malloc", NativeAllocator.Describe());
        Assert.Equal(PharosProcess.ExpectedAllocator, Allocator(preloaded));
        Assert.Equal("glibc malloc", Allocator(system));

        Assert.Equal(KillResumeTests.Losses(system), KillResumeTests.Losses(preloaded));
        Assert.Equal(File.ReadAllBytes(Path.Combine(system, "model", "model.safetensors")), File.ReadAllBytes(Path.Combine(preloaded, "model", "model.safetensors")));
    }

    [Fact]
    public void An_allocator_that_does_not_exist_is_one_line_naming_the_variable()
    {
        var (code, _, err) = PharosProcess.Run(new Dictionary<string, string> { [NativeAllocator.ChoiceVariable] = "/nonexistent/libfast.so" }, "--help");
        Assert.Equal(1, code);
        Assert.Contains("PHAROS_MALLOC=/nonexistent/libfast.so: not 'tcmalloc', 'system' or the path of an allocator library that exists", err);
        Assert.DoesNotContain("   at ", err);
    }
}
