// In one process: the sharded AdamW (one shard) makes exactly the updates of the replicated AdamW, clipping included, and
// both export the same full state, which the other imports; the global batch keys and the recipe hash the ranks compare.
using Pharos.Models.Loading;
using Pharos.Tests;
using Pharos.Training.Distributed;
using Pharos.Training.Optimizers;
using Pharos.Training.Recipes;
using static TorchSharp.torch;

namespace Pharos.Training.Tests.Distributed;

public sealed class OptimizerStateTests
{
    static void SetGradients(IEnumerable<TorchSharp.Modules.Parameter> parameters, int step)
    {
        var g = new Generator((ulong)step + 1);
        foreach (var p in parameters) p.grad = randn(p.shape, generator: g) * 0.5;
    }

    [Fact]
    public void Sharded_adamw_on_one_rank_updates_and_exports_like_adamw()
    {
        using var a = ModelLoader.Load(RepoPaths.Fixtures("Pharos.Models.Tests", "tiny-llama"));
        using var b = ModelLoader.Load(RepoPaths.Fixtures("Pharos.Models.Tests", "tiny-llama"));
        var pa = a.named_parameters().Select(p => (p.name, p.parameter)).ToList();
        var pb = b.named_parameters().Select(p => (p.name, p.parameter)).ToList();
        using var replicated = new AdamW(pa, weightDecay: 0.1);
        using var sharded = new ShardedAdamW(pb, DataParallel.None, weightDecay: 0.1);
        for (int step = 0; step < 3; step++)
        {
            SetGradients(pa.Select(p => p.parameter), step);
            SetGradients(pb.Select(p => p.parameter), step);
            double normA = replicated.Apply(1e-2, maxNorm: 1.0), normB = sharded.Apply(1e-2, maxNorm: 1.0);
            // The norm of float32 per-tensor norms vs the root of a float64 sum of squares: equal to float32 rounding.
            AllClose.Equal(normA, normB, 1e-6, 0, $"gradient norm at step {step}");
        }
        Assert.Equal(2L * pa.Sum(p => p.parameter.numel()) * sizeof(float), sharded.StateBytes);
        Assert.Equal(replicated.StateBytes, sharded.StateBytes); // one shard is the whole state
        using var scope = NewDisposeScope();
        for (int i = 0; i < pa.Count; i++)
        {
            var (x, y) = (replicated.Export(i), sharded.Export(i));
            AllClose.Equal(x.Weight, y.Weight, 1e-6, 1e-7, $"{pa[i].name} weight");
            AllClose.Equal(x.ExpAvg, y.ExpAvg, 1e-6, 1e-9, $"{pa[i].name} exp_avg");
            AllClose.Equal(x.ExpAvgSq, y.ExpAvgSq, 1e-6, 1e-12, $"{pa[i].name} exp_avg_sq");
            // A fresh sharded optimizer takes the replicated state as it would from a checkpoint.
            sharded.Import(i, x.Weight, x.ExpAvg * 2, x.ExpAvgSq);
            AllClose.Equal(x.ExpAvg * 2, sharded.Export(i).ExpAvg, 0, 0, $"{pa[i].name} imported exp_avg");
        }
    }

    // A parameter large enough for AdamW's one-pass kernel gets it in the sharded optimizer too, so both update every
    // element with the same arithmetic: bit-equal weights and moments (without clipping, whose norms are summed apart).
    [Fact]
    public void Sharded_adamw_updates_large_parameters_bit_for_bit_like_adamw()
    {
        TorchSharp.Modules.Parameter Make(int seed, long rows) => new(randn([rows, 256], generator: new Generator((ulong)seed)) * 0.1);
        var pa = new List<(string, TorchSharp.Modules.Parameter)> { ("big", Make(1, 300)), ("small", Make(2, 3)) };
        var pb = new List<(string, TorchSharp.Modules.Parameter)> { ("big", Make(1, 300)), ("small", Make(2, 3)) };
        Assert.True(pa[0].Item2.numel() >= AdamWKernel.MinElements);
        using var replicated = new AdamW(pa, weightDecay: 0.1);
        using var sharded = new ShardedAdamW(pb, DataParallel.None, weightDecay: 0.1);
        for (int step = 0; step < 3; step++)
        {
            SetGradients(pa.Select(p => p.Item2), step);
            SetGradients(pb.Select(p => p.Item2), step);
            replicated.Apply(1e-2, maxNorm: 1e9);
            sharded.Apply(1e-2, maxNorm: 1e9);
        }
        using var scope = NewDisposeScope();
        for (int i = 0; i < pa.Count; i++)
        {
            var (x, y) = (replicated.Export(i), sharded.Export(i));
            Assert.True(x.Weight.eq(y.Weight).all().item<bool>(), $"{pa[i].Item1} weight");
            Assert.True(x.ExpAvg.eq(y.ExpAvg).all().item<bool>(), $"{pa[i].Item1} exp_avg");
            Assert.True(x.ExpAvgSq.eq(y.ExpAvgSq).all().item<bool>(), $"{pa[i].Item1} exp_avg_sq");
        }
    }

    [Fact]
    public void A_global_batch_that_the_ranks_cannot_split_names_the_keys()
    {
        var train = new TrainSection { MicroBatchSize = 2, GlobalBatchSize = 12 };
        Assert.Equal(6, GlobalBatch.MicroBatchesPerRank(train, 1));
        Assert.Equal(2, GlobalBatch.MicroBatchesPerRank(train, 3));
        var e = Assert.Throws<RecipeException>(() => GlobalBatch.MicroBatchesPerRank(train, 4));
        Assert.Contains("train.global_batch_size", e.Message);
        Assert.Contains("train.micro_batch_size=2 on 4 ranks", e.Message);
        var conflict = Assert.Throws<RecipeException>(() => GlobalBatch.MicroBatchesPerRank(new TrainSection { MicroBatchSize = 2, GlobalBatchSize = 12, GradientAccumulation = 4 }, 2));
        Assert.Contains("train.gradient_accumulation", conflict.Message);
        // Without global_batch_size, gradient_accumulation is per rank: the global batch grows with the world size.
        Assert.Equal(4, GlobalBatch.MicroBatchesPerRank(new TrainSection { MicroBatchSize = 2, GradientAccumulation = 4 }, 8));
    }

    [Fact]
    public void The_recipe_hash_changes_with_any_override_and_with_resume()
    {
        var recipe = RecipeBinder.Parse("stage: cpt\nmodel: {path: m}\ndata: {sources: [{paths: [a.jsonl]}]}");
        var same = RecipeBinder.Parse("stage: cpt\nmodel: {path: m}\ndata: {sources: [{paths: [a.jsonl]}]}");
        var other = RecipeBinder.Parse("stage: cpt\nmodel: {path: m}\ndata: {sources: [{paths: [a.jsonl]}]}", ["train.lr=1e-3"]);
        Assert.Equal(RecipeAgreement.Hash(recipe, null), RecipeAgreement.Hash(same, null));
        Assert.NotEqual(RecipeAgreement.Hash(recipe, null), RecipeAgreement.Hash(other, null));
        Assert.NotEqual(RecipeAgreement.Hash(recipe, null), RecipeAgreement.Hash(recipe, "latest"));
    }
}
