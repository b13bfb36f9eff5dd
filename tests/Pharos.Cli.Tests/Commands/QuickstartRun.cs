// One small `pharos quickstart` run (few steps of each stage, six items per eval suite) shared by QuickstartCommandTests.
using Pharos.Tests;

namespace Pharos.Cli.Tests.Commands;

public sealed class QuickstartRun : IDisposable
{
    public QuickstartRun()
    {
        Output = Path.Combine(Temp.Path, "qs");
        Result = CliProcess.Run("quickstart", "-o", Output,
            "--set", "cpt.train.max_steps=12", "--set", "cpt.train.eval_every=6",
            "--set", "sft.train.max_steps=8", "--set", "sft.train.eval_every=4",
            "--set", "prefs.num_samples=3", "--set", "wpo.train.max_steps=4", "--set", "wpo.train.eval_every=2",
            "--set", "grpo.train.max_steps=3", "--set", "grpo.grpo.num_generations=4", "--set", "eval.limit=6");
    }

    internal TempDir Temp { get; } = new();
    public string Output { get; }
    internal CliResult Result { get; }

    public void Dispose() => Temp.Dispose();
}
