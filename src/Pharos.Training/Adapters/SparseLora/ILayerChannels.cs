// What a SparseLoRA adapter asks its layer for: the channels to compute for this forward (null = run dense).
using static TorchSharp.torch;

namespace Pharos.Training.Adapters.SparseLora;

public interface ILayerChannels
{
    /// <summary>Sorted int64 channel indices: output rows for q/k/v/gate/up, input columns for o/down.</summary>
    Tensor? Channels(ProjectionRole role, Tensor x, RowSplit rows, SparseLoraContext context);
}
