// bf16 mixed precision trains as well as float32: a short version of the quickstart (its tokenizer, model, CPT mix and SFT mix,
// fewer steps) whose SFT stage runs once per precision from the same base; the eval losses must agree within 0.5%
// (the full 200-step comparison is `Pharos.Bench precision-quality`, in docs/PRECISION.md).
using Pharos.Tests;
using Pharos.Training.Datasets;
using Pharos.Training.Recipes;
using Pharos.Training.Tokenizer;

namespace Pharos.Training.Tests.Precision;

public class MixedPrecisionQualityTests
{
    static string Data(string file) => RepoPaths.Samples("data", file);

    static IEnumerable<string> Texts(string file)
    {
        using var bad = new BadRecords();
        foreach (var record in RecordReader.Read(Data(file), bad))
            if (record.Json["text"]?.GetValue<string>() is string text) yield return text;
    }

    [Fact]
    public void Bf16_sft_eval_loss_is_within_half_a_percent_of_float32()
    {
        using var dir = new TempDir();
        var tokenizer = dir.File("tokenizer");
        TokenizerFiles.Write(new BpeTrainer(2048, TokenizerFiles.DefaultSpecials)
            .Train(new[] { "cpt-monolingual.jsonl", "cpt-parallel.jsonl" }.SelectMany(Texts)), tokenizer);
        var cpt = new Recipe
        {
            Stage = "cpt", Seed = 42, Output = dir.File("cpt"),
            Model = new ModelSection { New = new NewModelSection { Family = "llama", HiddenSize = 128, NumLayers = 4, HeadDim = 32, MaxPositionEmbeddings = 1024 }, Tokenizer = tokenizer },
            Data = new DataSection
            {
                SequenceLength = 256, EvalFraction = 0.03, EvalMax = 16,
                Sources = [new SourceSection { Name = "mono", Paths = [Data("cpt-monolingual.jsonl")], Share = 0.66 },
                    new SourceSection { Name = "parallel", Paths = [Data("cpt-parallel.jsonl")], Share = 0.34 }],
            },
            Train = new TrainSection { MaxSteps = 80, MicroBatchSize = 8, Lr = 3e-3, WarmupSteps = 8, MinLrRatio = 0.1, WeightDecay = 0.01, Precision = "fp32" },
        };
        var baseModel = StageRunner.Run(cpt).FinalModel!;

        double EvalLoss(string precision)
        {
            var sft = new Recipe
            {
                Stage = "sft", Seed = 42, Output = dir.File("sft-" + precision), Model = new ModelSection { Path = baseModel },
                Data = new DataSection
                {
                    SequenceLength = 256, EvalFraction = 0.05, EvalMax = 32,
                    Sources = [new SourceSection { Name = "translation", Paths = [Data("sft-translation.jsonl")], Share = 0.16 },
                        new SourceSection { Name = "ifmt", Paths = [Data("sft-ifmt.jsonl")], Share = 0.06 },
                        new SourceSection { Name = "general", Paths = [Data("sft-general.jsonl")], Share = 0.78 }],
                },
                Train = new TrainSection { MaxSteps = 40, MicroBatchSize = 8, Lr = 2e-3, WarmupSteps = 4, MinLrRatio = 0.1, Precision = precision },
            };
            var result = StageRunner.Run(sft);
            Assert.Contains($"\"precision\": \"{precision}\"", File.ReadAllText(Path.Combine(result.Output, "manifest.json")));
            return result.Train.EvalLoss!.Value;
        }
        double fp32 = EvalLoss("fp32"), bf16 = EvalLoss("bf16");
        Assert.NotEqual(fp32, bf16);
        Assert.True(Math.Abs(bf16 - fp32) <= 0.005 * fp32, $"bf16 eval loss {bf16:F4} vs float32 {fp32:F4} ({(bf16 - fp32) / fp32:+0.00%;-0.00%})");
    }
}
