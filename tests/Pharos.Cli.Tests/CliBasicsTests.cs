// The command line as a user meets it: help on every command, --version, and one-line errors (stack traces only with --verbose).
using Pharos.Tests;

namespace Pharos.Cli.Tests;

public class CliBasicsTests
{
    static readonly string TinyLlama = RepoPaths.Fixtures("Pharos.Models.Tests", "tiny-llama");

    [Fact]
    public void Help_lists_the_commands()
    {
        var r = CliProcess.Run("--help");
        Assert.Equal(0, r.ExitCode);
        foreach (var command in new[] { "inspect", "forward", "generate", "quickstart" })
            Assert.Contains(command, r.Stdout);
    }

    [Fact]
    public void Every_command_has_help_text()
    {
        var help = CliProcess.Run("--help").Stdout;
        var commands = help[help.IndexOf("Commands:", StringComparison.Ordinal)..]
            .Split('\n').Skip(1).Select(l => l.Trim()).Where(l => l.Length > 0)
            .Select(l => l.Split(' ')[0]).ToList();
        Assert.NotEmpty(commands);
        foreach (var command in commands)
        {
            var r = CliProcess.Run(command, "--help");
            Assert.True(r.ExitCode == 0, $"{command} --help exited {r.ExitCode}: {r.Stderr}");
            Assert.Contains("Usage:", r.Stdout);
            Assert.Contains("Description:", r.Stdout);
        }
    }

    [Fact]
    public void Version_prints_the_version()
    {
        var r = CliProcess.Run("--version");
        Assert.Equal(0, r.ExitCode);
        Assert.Matches(@"^\d+\.\d+\.\d+", r.Stdout.Trim());
    }

    [Fact]
    public void Errors_are_one_line_with_non_zero_exit_and_verbose_shows_the_trace()
    {
        var r = CliProcess.Run("inspect", "/nonexistent/model");
        Assert.NotEqual(0, r.ExitCode);
        var lines = r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("pharos: error:", lines[0]);
        Assert.Contains("/nonexistent/model", lines[0]);

        var verbose = CliProcess.Run("inspect", "/nonexistent/model", "--verbose");
        Assert.NotEqual(0, verbose.ExitCode);
        Assert.Contains("   at ", verbose.Stderr);
    }

    [Fact]
    public void Bad_config_names_the_file_and_field()
    {
        using var temp = new TempDir();
        foreach (var f in Directory.GetFiles(TinyLlama)) File.Copy(f, temp.File(Path.GetFileName(f)));
        File.WriteAllText(temp.File("config.json"), File.ReadAllText(temp.File("config.json")).Replace("\"hidden_size\"", "\"hidden_sise\""));
        var r = CliProcess.Run("forward", temp.Path, "--input-ids", "1,2,3");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("config.json: missing field 'hidden_size'", r.Stderr);
    }

    [Theory]
    [InlineData("nonexistent", "'nonexistent' (see 'pharos --help')")]
    [InlineData("nonexistent --help", "'nonexistent' (see 'pharos --help')")]
    [InlineData("--help nonexistent", "'nonexistent' (see 'pharos --help')")]
    [InlineData("curate nonexistent --help", "'nonexistent' (see 'pharos curate --help')")]
    [InlineData("inspect a b --help", "'b' (see 'pharos inspect --help')")]
    public void Unknown_commands_fail_with_one_line_even_with_help(string line, string expected)
    {
        // A script must see that the command is missing: no help text on stdout, exit 1, one error line.
        var r = CliProcess.Run(line.Split(' '));
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("", r.Stdout);
        Assert.Equal($"pharos: error: unrecognized command or argument {expected}", Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }

    [Fact]
    public void Unknown_option_is_rejected()
    {
        var r = CliProcess.Run("inspect", TinyLlama, "--no-such-option");
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("pharos: error: unrecognized command or argument '--no-such-option' (see 'pharos inspect --help')", r.Stderr.Trim());
        var missing = CliProcess.Run("curate");
        Assert.Equal(1, missing.ExitCode);
        Assert.Equal("pharos: error: Option '--recipe' is required. (see 'pharos curate --help')", missing.Stderr.Trim());
    }
}
