// The rest of "every stage on several processes": SparseLoRA on 2 ranks trains like one process (rank 0 computes and
// caches the SVD estimator, the other rank reads it), and `pharos recipe run` runs a chain on 2 ranks, each stage
// starting from what rank 0 wrote for the previous one, and skips it all when run again.
using Pharos.Tests;
using Pharos.Training.Tests.Training;

namespace Pharos.Training.Tests.Distributed;

public sealed class ChainAndSparseLoraTests
{
    [MpiFact]
    [Trait("Category", "Distributed")]
    public void Sparselora_sft_on_two_ranks_equals_one_process()
    {
        using var dir = new TempDir();
        var recipe = TinyStages.Write(dir, "sft", extraYaml: """
            adapter: sparselora
            sparselora: {preset: none, start_step: 0, layers: {1: {mlp: 0.9}, 2: {mlp: 0.9, self_attn: 0.5}, 3: {mlp: 0.9, self_attn: 0.5}}}
            """);
        var two = MpiJob.Run(Mpi.OpenMpi, 2, "train", "--recipe", recipe, "--set", $"output={dir.File("np2")}");
        Assert.True(two.Code == 0, two.All);
        Assert.True(File.Exists(dir.File("stories260K/sparselora_estimator.safetensors")));
        var (code, stdout, stderr) = PharosProcess.Run("train", "--recipe", recipe, "--set", $"output={dir.File("np1")}");
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("sparselora: estimator loaded from", stdout);
        TinyStages.AssertSameValues(TinyStages.Metric(dir.File("np1")), TinyStages.Metric(dir.File("np2")), 1e-5, "train/loss");
        TinyStages.AssertSameValues(TinyStages.Metric(dir.File("np1"), "sparselora/flop_reduction"), TinyStages.Metric(dir.File("np2"), "sparselora/flop_reduction"), 1e-6, "sparselora/flop_reduction (FLOPs summed over ranks)");
        TinyStages.AssertCloseWeights(TinyStages.Weights(dir.File("np1")), TinyStages.Weights(dir.File("np2")), 1e-5);
    }

    [MpiFact]
    [Trait("Category", "Distributed")]
    public void Recipe_chain_runs_on_two_ranks_like_one_process_and_is_skipped_when_done()
    {
        using var dir = new TempDir();
        var first = TinyStages.Write(dir, "cpt");
        File.WriteAllText(first, File.ReadAllText(first).Replace("max_steps: 20", "max_steps: 4"));
        var second = dir.File("second.yaml");
        File.WriteAllText(second, File.ReadAllText(first).Replace(RepoPaths.Samples("models", "stories260K"), dir.File("out/first/model")));
        File.WriteAllText(dir.File("chain.yaml"), "chain: [cpt.yaml, second.yaml]");
        // Each stage writes its own folder; the second starts from the first's final model.
        File.WriteAllText(first, File.ReadAllText(first) + $"\noutput: {dir.File("out/first")}\n");
        File.WriteAllText(second, File.ReadAllText(second) + $"\noutput: {dir.File("out/second")}\n");

        var job = MpiJob.Run(Mpi.OpenMpi, 2, "recipe", "run", dir.File("chain.yaml"));
        Assert.True(job.Code == 0, job.All);
        Assert.Contains("cpt.yaml: cpt ran", job.Out);
        Assert.Contains("second.yaml: cpt ran", job.Out);
        var parallel = TinyStages.Metric(dir.File("out/second"));
        Directory.Move(dir.File("out"), dir.File("out-np2"));

        var (code, stdout, stderr) = PharosProcess.Run("recipe", "run", dir.File("chain.yaml"));
        Assert.True(code == 0, stdout + stderr);
        TinyStages.AssertSameValues(TinyStages.Metric(dir.File("out/second")), parallel, 1e-5, "second stage train/loss");

        Directory.Delete(dir.File("out"), recursive: true);
        Directory.Move(dir.File("out-np2"), dir.File("out"));
        var again = MpiJob.Run(Mpi.OpenMpi, 2, "recipe", "run", dir.File("chain.yaml"));
        Assert.True(again.Code == 0, again.All);
        Assert.Contains("cpt.yaml: cpt skipped", again.Out);
        Assert.Contains("second.yaml: cpt skipped", again.Out);
    }
}
