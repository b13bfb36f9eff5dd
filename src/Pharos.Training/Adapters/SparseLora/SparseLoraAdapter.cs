// LoRA whose frozen base projection is computed sparsely for context tokens while training; the LoRA factors, their init,
// dropout and PEFT names are plain LoRA's, so what it saves is an ordinary LoRA adapter.
using System.Diagnostics;
using Pharos.Models.Transformer;
using static TorchSharp.torch;

namespace Pharos.Training.Adapters.SparseLora;

public sealed class SparseLoraAdapter : LoraAdapter
{
    readonly SparseLoraContext context;
    readonly ILayerChannels? channels;

    public SparseLoraAdapter(Linear layer, LoraOptions options, Generator initRng, Generator? dropoutRng,
        SparseLoraContext context, ILayerChannels? channels, ProjectionRole role) : base(layer, options, initRng, dropoutRng)
    {
        this.context = context;
        this.channels = channels;
        Role = role;
    }

    public ProjectionRole Role { get; }

    public override Tensor Forward(Linear layer, Tensor x)
    {
        // Adapters off is the DPO/GRPO reference: the frozen base as it is, dense, whatever this step's channels.
        if (!Enabled) return layer.Base(x);
        if (channels is null || !context.IsSparse(layer)) return Dense(layer, x);
        var rows = context.Rows(x);
        if (rows.ContextCount == 0) return Dense(layer, x);
        long start = context.Profile ? Stopwatch.GetTimestamp() : 0;
        var chosen = channels.Channels(Role, x, rows, context);
        if (context.Profile) context.SelectTime += Stopwatch.GetElapsedTime(start);
        if (chosen is null) return Dense(layer, x);
        using var scope = NewDisposeScope();
        // The base's sliced products are added straight into the branch's output (see SlicedProjection).
        TimeSpan branchTime = default;
        Tensor BranchOutput()
        {
            long t = context.Profile ? Stopwatch.GetTimestamp() : 0;
            var b = Branch(layer, x, chosen, rows).to(layer.weight.dtype).reshape(-1, layer.OutFeatures);
            if (context.Profile) branchTime = Stopwatch.GetElapsedTime(t);
            return b;
        }
        start = context.Profile ? Stopwatch.GetTimestamp() : 0;
        var y = Role.SlicesInput()
            ? SlicedProjection.InputColumns(layer, x, chosen, rows, context, BranchOutput)
            : SlicedProjection.OutputRows(layer, x, chosen, rows, context, BranchOutput);
        if (context.Profile) context.ProjectTime += Stopwatch.GetElapsedTime(start) - branchTime;
        return y.MoveToOuterDisposeScope();
    }

    /// <summary>The LoRA branch: dense (as in the paper) unless sparse_lora_branch, then sliced like the base projection.</summary>
    Tensor Branch(Linear layer, Tensor x, Tensor chosen, RowSplit rows)
    {
        if (!context.Options.SparseLoraBranch)
        {
            CountBranch(layer, x);
            return FoldedDelta(layer, x);
        }
        using var scope = NewDisposeScope();
        var h2 = BranchInput(layer, x).reshape(-1, layer.InFeatures);
        var y = Role.SlicesInput()
            ? SlicedLoraBranch.InputColumns(this, h2, chosen, rows, context)
            : SlicedLoraBranch.OutputRows(this, h2, chosen, rows, context);
        return y.reshape([.. x.shape[..^1], layer.OutFeatures]).MoveToOuterDisposeScope();
    }

    Tensor Dense(Linear layer, Tensor x)
    {
        if (layer.training)
        {
            double n = x.numel() / x.shape[^1];
            context.Count(2 * n * layer.InFeatures * layer.OutFeatures, 2 * n * layer.InFeatures * layer.OutFeatures);
            CountBranch(layer, x);
        }
        return base.Forward(layer, x);
    }

    /// <summary>A dense LoRA branch: r·(in + out) multiply-adds per row.</summary>
    void CountBranch(Linear layer, Tensor x)
    {
        double flops = 2.0 * (x.numel() / x.shape[^1]) * Options.Rank * (layer.InFeatures + layer.OutFeatures);
        context.Count(flops, flops);
    }
}
