// Shared pieces of the SparseLoRA tests: the tiny fixture models, SFT-shaped batches, one training forward/backward that
// returns loss and adapter gradients, and the masked-dense reference adapter the sliced computation must equal.
using Pharos.Models.Loading;
using Pharos.Models.Transformer;
using Pharos.Tests;
using Pharos.Training.Adapters;
using Pharos.Training.Adapters.SparseLora;
using Pharos.Training.Datasets;
using Pharos.Training.Objectives;
using static TorchSharp.torch;
using LoraApi = Pharos.Training.Adapters.Lora;
using SparseLoraApi = Pharos.Training.Adapters.SparseLora.SparseLora;

namespace Pharos.Training.Tests.SparseLora;

internal static class SparseLoraHarness
{
    public static readonly LoraOptions LoraOpts = new() { Rank = 4, Alpha = 8, Dropout = 0.1 };

    public static string Fixture(string family) => RepoPaths.Fixtures("Pharos.Models.Tests", "tiny-" + family);

    public static CausalLM Load(string family) => ModelLoader.Load(Fixture(family));

    public static CausalLM LoadBf16(string family) => ModelLoader.Load(Fixture(family), CPU, bfloat16);

    /// <param name="answerFrom">per row, the first position whose loss counts (0 = all answer tokens)</param>
    public static Batch Batch(int length, params int[] answerFrom)
    {
        var rng = new Random(5);
        var rows = answerFrom.Select(start => new PackedSequence(
            Enumerable.Range(0, length).Select(_ => rng.Next(3, 290)).ToArray(),
            Enumerable.Range(0, length).Select(i => i >= start).ToArray(),
            new int[length], Enumerable.Range(0, length).ToArray())).ToList();
        return BatchBuilder.Build(rows, 0, CPU);
    }

    /// <summary>Non-zero lora_B (PEFT starts it at zero) so every gradient and every output depends on the adapters.</summary>
    public static void RandomizeB(CausalLM model)
    {
        using var noGrad = no_grad();
        var g = new Generator(9);
        foreach (var (_, adapter, _) in LoraApi.Find(model).OrderBy(f => f.Name, StringComparer.Ordinal))
            adapter.lora_B.weight.normal_(0, 0.05, g);
    }

    public static Dictionary<string, LowRankFactors> Estimators(CausalLM model) =>
        EstimatorCache.Compute(EstimatorCache.Targets(model), 8);

    /// <summary>One training forward and backward; the loss and a copy of every adapter gradient.</summary>
    public static (double Loss, Dictionary<string, Tensor> Grads) Step(CausalLM model, IObjective objective, Batch batch)
    {
        model.train();
        foreach (var p in model.parameters()) p.grad?.zero_();
        double loss;
        using (var scope = NewDisposeScope())
        {
            var output = objective.Loss(model, batch);
            (output.LossSum / output.Units).backward();
            loss = output.LossSum.item<float>() / output.Units;
        }
        var grads = model.named_parameters().Where(p => p.parameter.requires_grad)
            .ToDictionary(p => p.name, p => p.parameter.grad!.detach().clone());
        return (loss, grads);
    }

    /// <summary>Largest gradient difference relative to the gradient's scale (max |g| + 1).</summary>
    public static double MaxGradDiff(Dictionary<string, Tensor> a, Dictionary<string, Tensor> b)
    {
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        return a.Keys.Max(k => (a[k] - b[k]).abs().max().item<float>() / (a[k].abs().max().item<float>() + 1));
    }
}

/// <summary>The reference SparseLoRA must equal: the dense projection with unchosen channels zeroed on context rows
/// (outputs for q/k/v/gate/up, inputs for o/down), plus the same LoRA branch, dense or (maskBranch) masked the same way.</summary>
internal sealed class MaskedDenseAdapter(Linear layer, LoraOptions options, Generator initRng, Generator? dropoutRng,
    SparseLoraContext context, ILayerChannels channels, ProjectionRole role, bool maskBranch = false) : LoraAdapter(layer, options, initRng, dropoutRng)
{
    public override Tensor Forward(Linear layer, Tensor x)
    {
        if (!context.IsSparse(layer)) return base.Forward(layer, x);
        var rows = context.Rows(x);
        var chosen = channels.Channels(role, x, rows, context);
        if (chosen is null || rows.ContextCount == 0) return base.Forward(layer, x);
        using var scope = NewDisposeScope();
        long width = role.SlicesInput() ? layer.InFeatures : layer.OutFeatures;
        var keep = zeros(width).index_fill(0, chosen, 1.0);
        var x2 = x.reshape(-1, layer.InFeatures);
        long n = x2.shape[0];
        var mask = ones(n, width);
        if (rows.Context is null) mask = keep.expand(n, width);
        else mask.index_copy_(0, rows.Context, keep.expand(rows.ContextCount, width));
        var y = role.SlicesInput() ? layer.Base(x2 * mask) : layer.Base(x2) * mask;
        // Dropout draws the same numbers for x2 as for x (same element count and order), so only the masking differs.
        var branch = !maskBranch ? Delta(layer, x2) : role.SlicesInput() ? Delta(layer, x2 * mask) : Delta(layer, x2) * mask;
        return (y + branch.to(y.dtype)).reshape([.. x.shape[..^1], layer.OutFeatures]).MoveToOuterDisposeScope();
    }
}
