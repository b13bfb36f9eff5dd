// Cross-entropy of the LM head over labelled positions, a chunk of rows at a time, with each chunk's gradients taken in the
// forward pass: only one chunk's logits ([rows, vocab] in float32) ever exist, in the forward and in the backward, instead
// of every chunk's logits, log-softmax and gradient waiting for the backward pass. At sequence 2,048 and a 32k vocabulary
// that is the largest activation left once the decoder layers are checkpointed.
using Pharos.Models.Kernels;
using Pharos.Models.Transformer;
using static TorchSharp.torch;
using static TorchSharp.torch.autograd;

namespace Pharos.Training.Objectives;

public static class ChunkedLmHeadLoss
{
    /// <summary>Rows per chunk for a vocabulary: 512, or more while one chunk's bf16 logits stay within 64 MB (1,024 rows at
    /// a 32k vocabulary). Each chunk's two products repack the whole output weight (oneDNN lays out its B operand anew on
    /// every call), so fewer, larger chunks cost less where the logits are small: `train-profile --micro` measured the
    /// ~110M Llama's LM-head products over 1,024 rows at 263–268 ms as one chunk against 274–277 ms as two.</summary>
    public static long DefaultChunkRows(long vocab) => Math.Max(512, (64L << 20) / (2 * Math.Max(vocab, 1)) / 256 * 256);

    /// <param name="hidden">final-norm hidden states of the labelled positions [N, hidden]</param>
    /// <param name="targets">the token each position must predict [N]</param>
    /// <returns>the summed loss (float32 scalar); its backward hands back the gradients computed chunk by chunk</returns>
    public static Tensor Sum(CausalLM model, Tensor hidden, Tensor targets, long chunkRows) =>
        LossFunction.Invoke(hidden, model.OutputWeight, targets, model, chunkRows, is_grad_enabled());

    sealed class LossFunction : HandedOffFunction<LossFunction>
    {
        public override string Name => "ChunkedLmHeadLoss";

        protected override Tensor Forward(AutogradContext ctx, object[] vars)
        {
            Tensor hidden = (Tensor)vars[0], weight = (Tensor)vars[1], targets = (Tensor)vars[2];
            var (model, chunkRows, training) = ((CausalLM)vars[3], (long)vars[4], (bool)vars[5]);
            bool needHidden = training && hidden.requires_grad, needWeight = training && weight.requires_grad;
            Tensor? hiddenGrad = needHidden ? zeros_like(hidden) : null;
            Tensor? weightGrad = needWeight ? zeros_like(weight) : null;
            var total = zeros([], float32, hidden.device);
            long n = hidden.shape[0];
            if ((needHidden || needWeight) && model.PlainOutputWeight is { } plain && ReferenceEquals(plain, weight))
                PlainProjection(model, hidden, weight, targets, chunkRows, hiddenGrad, weightGrad, total);
            else
                for (long start = 0; start < n; start += chunkRows)
                {
                    using var scope = NewDisposeScope();
                    long len = Math.Min(chunkRows, n - start);
                    using var grad = enable_grad(needHidden || needWeight);
                    var rows = hidden.narrow(0, start, len).detach().requires_grad_(needHidden);
                    // Through the model's own projection (an adapter on lm_head takes part; Gemma 2's final soft-cap), then
                    // float32, as the plain loss was; bf16 logits go through the cross-entropy kernel instead (float32
                    // arithmetic, no float32 copy of the logits).
                    var logits = model.Logits(rows);
                    var chunkTargets = targets.narrow(0, start, len);
                    bool kernel = CrossEntropyKernel.Applies(logits, chunkTargets);
                    Tensor loss, logitsGrad = null!;
                    if (kernel)
                    {
                        (loss, var g) = CrossEntropyKernel.Run(logits.detach(), chunkTargets, needHidden || needWeight);
                        logitsGrad = g!;
                    }
                    else loss = nn.functional.cross_entropy(logits.to(float32), chunkTargets, reduction: nn.Reduction.Sum);
                    if (needHidden || needWeight)
                    {
                        List<Tensor> inputs = needHidden && needWeight ? [rows, model.OutputWeight] : needHidden ? [rows] : [model.OutputWeight];
                        var grads = kernel ? autograd.grad([logits], inputs, [logitsGrad]) : autograd.grad([loss], inputs);
                        if (needHidden) hiddenGrad!.narrow(0, start, len).copy_(grads[0]);
                        if (needWeight) weightGrad!.add_(grads[^1]);
                    }
                    total.add_(loss.detach());
                }
            // Autograd takes its own references to these once forward returns; ours go right after (AutogradHandoff).
            ctx.save_for_backward([hiddenGrad!, weightGrad!]);
            ctx.save_data("scaled", false);
            if (hiddenGrad is not null) AutogradHandoff.Give(hiddenGrad);
            if (weightGrad is not null) AutogradHandoff.Give(weightGrad);
            return total;
        }

        /// <summary>The chunks of a plain output projection, its products written out (PlainHeadProducts); the logits'
        /// gradient written over the logits when the kernel computes it.</summary>
        static void PlainProjection(CausalLM model, Tensor hidden, Tensor weight, Tensor targets, long chunkRows, Tensor? hiddenGrad, Tensor? weightGrad,
            Tensor total)
        {
            long n = hidden.shape[0];
            using var products = new PlainHeadProducts(weight, hidden.dtype, Math.Min(chunkRows, n), weightGrad);
            bool softCapped = model.Options.FinalLogitSoftcap is not null;
            for (long start = 0; start < n; start += chunkRows)
            {
                using var chunkScope = NewDisposeScope();
                long len = Math.Min(chunkRows, n - start);
                var rows = hidden.narrow(0, start, len).detach();
                var chunkTargets = targets.narrow(0, start, len);
                var z = products.Logits(rows);
                // The soft-capped logits have z's shape and dtype, so z says whether the kernel takes them.
                bool kernel = CrossEntropyKernel.Applies(z, chunkTargets);
                // Gemma 2's final soft-cap and libtorch's loss through autograd from z (their ops and backward as the model's).
                using var grad = enable_grad(true);
                var zLeaf = z.detach().requires_grad_(softCapped || !kernel);
                var logits = model.SoftCapped(zLeaf);
                Tensor loss, zGrad;
                if (kernel)
                {
                    // The gradient is written over the logits: over z itself when there is no soft-cap.
                    (loss, var g) = CrossEntropyKernel.Run(logits.detach(), chunkTargets, wantGrad: true, inPlace: true);
                    zGrad = softCapped ? autograd.grad([logits], [zLeaf], [g!])[0] : g!;
                }
                else
                {
                    loss = nn.functional.cross_entropy(logits.to(float32), chunkTargets, reduction: nn.Reduction.Sum);
                    zGrad = autograd.grad([loss], [zLeaf])[0];
                }
                products.Backward(zGrad, rows, hiddenGrad?.narrow(0, start, len), weightGrad);
                total.add_(loss.detach());
            }
        }

        protected override List<Tensor> Backward(AutogradContext ctx, List<Tensor> saved, Tensor gradOutput)
        {
            // The saved gradients are this function's own, so they are scaled in place (at a 256k vocabulary a second
            // copy of the weight's gradient is gigabytes); a second backward through the same graph would scale twice.
            if ((bool)ctx.get_data("scaled")) throw new InvalidOperationException("ChunkedLmHeadLoss: backward can run once per forward");
            ctx.save_data("scaled", true);
            Tensor? Scaled(Tensor? g)
            {
                if (g is null) return null;
                using var factor = gradOutput.to(g.dtype);
                var product = g.mul_(factor);
                if (!ReferenceEquals(product, g)) product.Dispose(); // a TorchSharp that wraps an in-place result anew
                return g;
            }
            return [Scaled(saved[0])!, Scaled(saved[1])!, null!, null!, null!, null!]; // saved[0] and [1] themselves
        }
    }
}
