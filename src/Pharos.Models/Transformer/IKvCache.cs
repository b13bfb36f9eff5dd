// Where attention keeps keys and values between forward passes: each layer appends this pass's keys and values and
// gets back every key and value its queries attend to.
using static TorchSharp.torch;

namespace Pharos.Models.Transformer;

public interface IKvCache
{
    /// <param name="k">[B, kvHeads, T, headDim] keys of this pass (rotated).</param>
    /// <returns>Keys and values [B, kvHeads, Tk, headDim] over every slot this pass attends to.</returns>
    (Tensor Keys, Tensor Values) Append(int layer, Tensor k, Tensor v);
}
