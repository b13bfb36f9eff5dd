// The per-model SparseLoRA state the adapters consult: whether this step is sparse, how the current forward's rows split into
// context and answer tokens, and the FLOPs the adapted projections did versus what dense ones would have done.
using Pharos.Models.Transformer;
using static TorchSharp.torch;

namespace Pharos.Training.Adapters.SparseLora;

public sealed class SparseLoraContext : IStepHook, IRecomputeState
{
    RowSplit? rows;
    long rowCount = -1;
    double denseFlops, actualFlops;
    bool recomputing;

    public SparseLoraContext(SparseLoraOptions options) => Options = options;

    public SparseLoraOptions Options { get; }

    /// <summary>False during the dense warm-up (before start_step) and after end_step; true outside the Trainer (tests, benchmarks).</summary>
    public bool StepIsSparse { get; private set; } = true;

    /// <summary>Changes with every forward the objective announces, so channel choices never leak from one forward to the next.</summary>
    public long ForwardId { get; private set; }

    /// <summary>Sparse only while training: evaluation and generation (model.eval()) always run dense.</summary>
    public bool IsSparse(Linear layer) => layer.training && StepIsSparse;

    /// <param name="answerRows">flattened rows whose outputs carry a loss (computed dense); null or empty = all rows sparse</param>
    public void BeginForward(long totalRows, Tensor? contextRows, Tensor? answerRows)
    {
        EndForward();
        long answers = answerRows?.shape[0] ?? 0;
        rows = answers == 0 ? RowSplit.AllContext(totalRows) : new RowSplit(contextRows, answerRows, totalRows - answers, answers);
        rowCount = totalRows;
        ForwardId++;
    }

    public void EndForward()
    {
        if (rows is not null)
        {
            // Autograd keeps its own references to the index tensors, so the backward pass that follows still works.
            rows.Context?.Dispose();
            rows.Answer?.Dispose();
        }
        rows = null;
        rowCount = -1;
        ForwardId++;
    }

    /// <summary>The split for an input of this shape: the announced one when the row counts agree, else every row as context.</summary>
    public RowSplit Rows(Tensor x)
    {
        long n = x.numel() / x.shape[^1];
        return rows is not null && rowCount == n ? rows : RowSplit.AllContext(n);
    }

    internal void Count(double dense, double actual)
    {
        if (recomputing) return; // a checkpointed layer's second forward is not more work the sparse step saved or spent

        denseFlops += dense;
        actualFlops += actual;
    }

    public void BeginStep(int step)
    {
        StepIsSparse = step >= Options.StartStep && (Options.EndStep is null || step < Options.EndStep);
        denseFlops = actualFlops = 0;
    }

    public IReadOnlyDictionary<string, double> EndStep() => new Dictionary<string, double>
    {
        ["sparselora/sparse_step"] = StepIsSparse ? 1 : 0,
        // Forward FLOPs of the adapted projections (frozen base + LoRA branch); their backward scales the same way.
        ["sparselora/flops_kept"] = denseFlops > 0 ? actualFlops / denseFlops : 1,
        ["sparselora/flop_reduction"] = actualFlops > 0 ? denseFlops / actualFlops : 1,
    };

    /// <summary>Totals since the last BeginStep (benchmarks read them directly).</summary>
    public (double Dense, double Actual) Flops => (denseFlops, actualFlops);

    public void ResetFlops() => denseFlops = actualFlops = 0;

    /// <summary>The row split a checkpointed layer saw in its forward: its own handles to the index tensors, outside any dispose
    /// scope, because the objective disposes its own when its forward ends, long before that layer's backward.</summary>
    public object? Capture() => rows is null ? null
        : new CapturedRows(rows with { Context = rows.Context?.alias().DetachFromDisposeScope(), Answer = rows.Answer?.alias().DetachFromDisposeScope() }, rowCount);

    public IDisposable Replay(object? state)
    {
        var (savedRows, savedCount) = (rows, rowCount);
        var captured = state as CapturedRows;
        rows = captured?.Rows;
        rowCount = captured?.Count ?? -1;
        recomputing = true;
        ForwardId++; // channel choices are made afresh from the recomputed input, never taken from another layer's forward
        return new Restore(this, savedRows, savedCount);
    }

    sealed record CapturedRows(RowSplit Rows, long Count) : IDisposable
    {
        public void Dispose()
        {
            Rows.Context?.Dispose();
            Rows.Answer?.Dispose();
        }
    }

    sealed class Restore(SparseLoraContext context, RowSplit? rows, long count) : IDisposable
    {
        public void Dispose()
        {
            context.rows = rows;
            context.rowCount = count;
            context.recomputing = false;
            context.ForwardId++;
        }
    }

    /// <summary>When set, adapters time channel choice and sliced projections (forward only) for the benchmark's breakdown.</summary>
    public bool Profile { get; set; }

    public TimeSpan SelectTime { get; set; }

    public TimeSpan ProjectTime { get; set; }
}
