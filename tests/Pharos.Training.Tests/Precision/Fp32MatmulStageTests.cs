// train.fp32_matmul holds for its stage only: a float32 CPT run with `bf16` says so, trains through oneDNN (losses not
// bit-equal to the BLAS run's on CPUs where libtorch routes to oneDNN, yet within float32-sized differences here) and leaves
// the process on libtorch's default afterwards. Runs alone: the setting is process-wide while the stage runs.
using System.Runtime.Intrinsics.X86;
using Pharos.Models;
using Pharos.Tests;
using Pharos.Training.Logging;
using Pharos.Training.Recipes;
using Pharos.Training.Tokenizer;

namespace Pharos.Training.Tests.Precision;

[CollectionDefinition(nameof(Fp32MatmulSwitch), DisableParallelization = true)]
public sealed class Fp32MatmulSwitch;

[Collection(nameof(Fp32MatmulSwitch))]
public class Fp32MatmulStageTests
{
    sealed class Messages : ITrainingObserver
    {
        public List<string> Lines { get; } = [];
        public List<double> Losses { get; } = [];
        public void Message(string text) => Lines.Add(text);
        public void StepDone(StepReport report) => Losses.Add(report.Loss);
    }

    [Fact]
    public void A_bf16_stage_runs_through_onednn_and_restores_the_default_after_it()
    {
        using var dir = new TempDir();
        var tokenizer = dir.File("tokenizer");
        var data = RepoPaths.Samples("data", "cpt-monolingual.jsonl");
        var texts = File.ReadLines(data).Take(200).Select(l => System.Text.Json.Nodes.JsonNode.Parse(l)!["text"]!.GetValue<string>());
        TokenizerFiles.Write(new BpeTrainer(512, TokenizerFiles.DefaultSpecials).Train(texts), tokenizer);

        Messages Run(string fp32Matmul)
        {
            var observer = new Messages();
            StageRunner.Run(new Recipe
            {
                Stage = "cpt", Seed = 5, Output = dir.File("cpt-" + fp32Matmul),
                Model = new ModelSection { New = new NewModelSection { Family = "llama", HiddenSize = 128, NumLayers = 2, HeadDim = 32, MaxPositionEmbeddings = 256 }, Tokenizer = tokenizer },
                Data = new DataSection { SequenceLength = 128, EvalFraction = 0, Sources = [new SourceSection { Name = "mono", Paths = [data], Share = 1 }] },
                Train = new TrainSection { MaxSteps = 6, MicroBatchSize = 4, Lr = 3e-3, Precision = "fp32", Fp32Matmul = fp32Matmul },
            }, observer);
            Assert.Equal("ieee", Fp32MatmulPrecision.Current);
            return observer;
        }

        var blas = Run("ieee");
        var onednn = Run("bf16");
        Assert.DoesNotContain(blas.Lines, l => l.Contains("oneDNN"));
        Assert.Contains(onednn.Lines, l => l.Contains("float32 matmuls through oneDNN (train.fp32_matmul bf16)"));
        Assert.Equal(6, onednn.Losses.Count);
        for (int i = 0; i < blas.Losses.Count; i++)
            Assert.True(Math.Abs(onednn.Losses[i] - blas.Losses[i]) <= 1e-3 * blas.Losses[i], $"step {i + 1}: {onednn.Losses[i]} vs {blas.Losses[i]}");
        // Where libtorch routes float32 matmuls to oneDNN (AVX-512 BW/VL/DQ), another kernel ran: its sums differ in order.
        if (Avx512BW.IsSupported && Avx512BW.VL.IsSupported && Avx512DQ.IsSupported)
            // The losses alone can round to the same values (a 6-step run's differ in one bit of one step, or not at all),
            // so the trained weights are what must differ.
            Assert.NotEqual(File.ReadAllBytes(Path.Combine(dir.File("cpt-ieee"), "model", "model.safetensors")),
                File.ReadAllBytes(Path.Combine(dir.File("cpt-bf16"), "model", "model.safetensors")));
    }
}
