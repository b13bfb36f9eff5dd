// inspect, forward and generate on committed fixtures, end to end through the real command.
using Pharos.Models.Safetensors;
using Pharos.Tests;
using static TorchSharp.torch;

namespace Pharos.Cli.Tests;

public class ModelCommandsTests
{
    [Fact]
    public void Inspect_reports_family_sizes_and_a_complete_weight_check()
    {
        var r = CliProcess.Run("inspect", RepoPaths.Fixtures("Pharos.Models.Tests", "tiny-gemma2"));
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("gemma2 (Gemma2ForCausalLM)", r.Stdout);
        Assert.Contains("4 / 2, head dim 16", r.Stdout);
        Assert.Contains("sliding window", r.Stdout);
        Assert.Contains("8 on layers 0,2", r.Stdout);
        Assert.Matches(@"all \d+ tensors loaded", r.Stdout);
    }

    [Fact]
    public void Forward_writes_the_reference_logits()
    {
        using var temp = new TempDir();
        var output = temp.File("logits.safetensors");
        var r = CliProcess.Run("forward", RepoPaths.Samples("models", "stories260K"), "--input-ids", "1,403,407,261", "-o", output);
        Assert.Equal(0, r.ExitCode);
        using var file = SafetensorsFile.Open(output);
        using var logits = file.Load("logits");
        Assert.Equal(new long[] { 1, 4, 512 }, logits.shape);
        using var expectedFile = SafetensorsFile.Open(RepoPaths.Fixtures("Pharos.Models.Tests", "stories260K.expected.safetensors"));
        using var expected = expectedFile.Load("logits").narrow(1, 0, 4);
        AllClose.EqualAtScale(expected, logits, rtol: 1e-4, atolOfScale: 2e-5, "logits of `pharos forward`");
    }

    [Fact]
    public void Generate_greedy_batch_gives_the_known_story_tokens()
    {
        var r = CliProcess.Run("generate", RepoPaths.Samples("models", "stories260K"), "--prompt-ids", "1", "--prompt-ids", "1,403", "--max-new-tokens", "6");
        Assert.Equal(0, r.ExitCode);
        var lines = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("403,407,261,378,432,383\t[length]", lines[0]);
        Assert.StartsWith("407,261,378,432,383", lines[1]);
    }

    [Fact]
    public void Out_of_vocabulary_ids_are_rejected_with_the_option_named()
    {
        var r = CliProcess.Run("forward", RepoPaths.Samples("models", "stories260K"), "--input-ids", "1,99999");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("--input-ids: token id 99999 is outside the vocabulary (size 512)", r.Stderr);
    }
}
