// What the Trainer needs of an optimizer: one call per step that combines the ranks' gradients, clips and updates, and
// full per-parameter state for checkpoints (whether the state lives whole on every rank or sharded across them).
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pharos.Training.Optimizers;

/// <param name="Weight">the float32 master copy, or the weight itself when it is float32</param>
public sealed record ParameterState(Tensor Weight, Tensor ExpAvg, Tensor ExpAvgSq);

public interface IOptimizer : IDisposable
{
    /// <summary>Updates done (AdamW's bias-correction count); checkpointed.</summary>
    long Step { get; set; }

    /// <summary>Bytes of optimizer state (moments, float32 master weights) this rank holds.</summary>
    long StateBytes { get; }

    /// <summary>The trainable parameters by checkpoint name, in a fixed order.</summary>
    IReadOnlyList<(string Name, Parameter Param)> Parameters { get; }

    /// <summary>Sums the gradients over ranks, clips their global norm to <paramref name="maxNorm"/> (0 = no clipping),
    /// updates the weights on every rank and clears the gradients.</summary>
    /// <returns>the global gradient norm before clipping</returns>
    double Apply(double lr, double maxNorm);

    /// <summary>Full state of parameter <paramref name="index"/>. With sharded state this is a collective: every rank
    /// calls it for the same parameters in the same order. Tensors it creates belong to the caller's dispose scope.</summary>
    ParameterState Export(int index);

    /// <summary>Restores parameter <paramref name="index"/> from full tensors (a checkpoint of any world size).</summary>
    void Import(int index, Tensor weight, Tensor expAvg, Tensor expAvgSq);
}
