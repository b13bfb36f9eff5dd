// `pharos export gguf` end to end through the real command: a file llama.cpp's layout, the q8_0 fallback reported, and a
// bad --type refused in one line.
using Pharos.Tests;

namespace Pharos.Cli.Tests;

public class ExportCommandTests
{
    [Fact]
    public void Export_gguf_writes_a_gguf_file_and_reports_f16_fallbacks()
    {
        using var temp = new TempDir();
        var r = CliProcess.Run("export", "gguf", RepoPaths.Samples("models", "stories260K"), "-o", temp.File("s.gguf"), "--type", "q8_0");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("llama, 47 tensors", r.Stdout);
        Assert.Contains("blk.0.ffn_down.weight", r.Stdout);
        var head = File.ReadAllBytes(temp.File("s.gguf")).AsSpan(0, 8).ToArray();
        Assert.Equal("GGUF"u8.ToArray(), head[..4]);
        Assert.Equal(3, BitConverter.ToInt32(head, 4));
    }

    [Fact]
    public void Unknown_type_is_one_line_naming_the_choices()
    {
        using var temp = new TempDir();
        var r = CliProcess.Run("export", "gguf", RepoPaths.Samples("models", "stories260K"), "-o", temp.File("s.gguf"), "--type", "q4_k");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("--type 'q4_k' is not one of f32, f16, bf16, q8_0", r.Stderr);
        Assert.False(File.Exists(temp.File("s.gguf")));
    }
}
