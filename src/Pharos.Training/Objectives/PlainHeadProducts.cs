// The products of a plain output projection (tied embedding, or lm_head without adapter or bias) for the losses that
// take their gradients a chunk of rows at a time (ChunkedLmHeadLoss, ChunkedTokenLogProbs): the weight cast to the
// compute dtype once for all chunks, each chunk's logits written into one reused buffer, and the gradients of the hidden
// states and of the weight written out from the logits' gradient, a bf16 weight gradient through a reused buffer and
// added into the float32 sum in one pass (WidenedAdd). Through autograd a float32 master under bf16 compute was cast
// again for each chunk and each chunk's weight gradient came back through the cast as a float32 copy of the whole weight:
// at a 256k vocabulary, gigabytes per chunk. Same products as autograd's.
using Pharos.Models.Kernels;
using Pharos.Models.Transformer;
using static TorchSharp.torch;

namespace Pharos.Training.Objectives;

internal sealed class PlainHeadProducts : IDisposable
{
    readonly Tensor weight, logits;
    readonly Tensor? weightGradBuffer;

    /// <param name="weightGrad">the float32 (or compute-dtype) sum the chunks' weight gradients go into; null when the weight does not train</param>
    public PlainHeadProducts(Tensor outputWeight, ScalarType computeDType, long maxRows, Tensor? weightGrad)
    {
        using var scope = NewDisposeScope();
        weight = Linear.As(outputWeight.detach(), computeDType).MoveToOuterDisposeScope();
        logits = empty([maxRows, weight.shape[0]], computeDType, weight.device).MoveToOuterDisposeScope();
        weightGradBuffer = weightGrad is null || weightGrad.dtype == computeDType ? null : empty_like(weight).MoveToOuterDisposeScope();
    }

    /// <summary>rows·Wᵀ [rows, vocab] in the logits buffer: valid until the next chunk's.</summary>
    public Tensor Logits(Tensor rows) => logits.narrow(0, 0, rows.shape[0]).addmm_(rows, weight.t(), beta: 0, alpha: 1);

    /// <summary>From the logits' gradient: the rows' gradient written into <paramref name="rowsGrad"/>, the weight's added
    /// into <paramref name="weightGrad"/> (by its GEMM when of the compute dtype, else through the buffer).</summary>
    public void Backward(Tensor logitsGrad, Tensor rows, Tensor? rowsGrad, Tensor? weightGrad)
    {
        rowsGrad?.addmm_(logitsGrad, weight, beta: 0, alpha: 1);
        if (weightGrad is null) return;
        if (weightGradBuffer is null) weightGrad.addmm_(logitsGrad.t(), rows, beta: 1, alpha: 1);
        else WidenedAdd.Into(weightGrad, weightGradBuffer.addmm_(logitsGrad.t(), rows, beta: 0, alpha: 1));
    }

    public void Dispose()
    {
        weight.Dispose();
        logits.Dispose();
        weightGradBuffer?.Dispose();
    }
}
