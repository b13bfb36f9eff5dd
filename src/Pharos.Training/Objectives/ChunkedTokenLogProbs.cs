// log π(target) of each row under the LM head, for the preference and RL objectives (DPO/WPO's sequence log-probs, GRPO's
// token log-probs), a chunk of rows at a time. Kept by autograd, every chunk's float32 log-softmax waits for the backward
// pass: at a 256k vocabulary that is 1 MB per scored token (8 GB for 16 completions of 512 tokens). Above a size
// (RecomputeAboveBytes) the forward pass keeps no [rows, vocab] tensor and the backward pass recomputes each chunk's
// logits and takes that chunk's gradients: the LM head's activation checkpointing, one more LM-head product per chunk
// (at 256k as fast as autograd's whole log-softmax, which the recomputation's buffers and bf16 kernel make up for; see
// docs/DATA-AND-MEMORY.md). Below it, and for an output projection that is not plain (an adapter on lm_head, whose
// factors need their own gradients; a bias), autograd keeps the chunks.
using Pharos.Models.Kernels;
using Pharos.Models.Transformer;
using static TorchSharp.torch;
using static TorchSharp.torch.autograd;

namespace Pharos.Training.Objectives;

public static class ChunkedTokenLogProbs
{
    /// <summary>1 GiB of float32 log-softmax (8k tokens at a 32k vocabulary, 1k at 256k): below it autograd keeps the chunks.</summary>
    public const long RecomputeAboveBytes = 1L << 30;

    /// <param name="hidden">final-norm hidden states of the scored positions [N, hidden]</param>
    /// <param name="targets">the token each position scores [N]</param>
    /// <param name="temperature">the logits are divided by it before the softmax (GRPO's sampling temperature)</param>
    /// <param name="confidence">when given, a float32 [N] filled with log Σ_v p(v)² of each row (WPO's weight term), no gradient</param>
    /// <param name="recomputeAboveBytes">recompute in the backward pass when the float32 log-softmax of all rows would be larger
    /// than this and there is more than one chunk</param>
    /// <returns>[N] float32 log-probabilities, with their gradient unless under no_grad</returns>
    public static Tensor Compute(CausalLM model, Tensor hidden, Tensor targets, long chunkRows, double temperature = 1.0, Tensor? confidence = null,
        long recomputeAboveBytes = RecomputeAboveBytes)
    {
        long n = hidden.shape[0], kept = n * model.Config.VocabSize * sizeof(float);
        bool recompute = is_grad_enabled() && model.PlainOutputWeight is not null && (hidden.requires_grad || model.OutputWeight.requires_grad)
            && kept > recomputeAboveBytes && n > chunkRows;
        if (!recompute) return Chunks(model, hidden, targets, chunkRows, temperature, confidence);
        return Function.Invoke(hidden, model.OutputWeight, targets, confidence, model, chunkRows, temperature);
    }

    /// <summary>Every chunk's log π(target) joined [N]: recorded by autograd unless under no_grad (the recomputing
    /// function's forward pass runs it so).</summary>
    static Tensor Chunks(CausalLM model, Tensor hidden, Tensor targets, long chunkRows, double temperature, Tensor? confidence)
    {
        using var scope = NewDisposeScope();
        long n = hidden.shape[0];
        var picked = new List<Tensor>();
        for (long start = 0; start < n; start += chunkRows)
        {
            long len = Math.Min(chunkRows, n - start);
            picked.Add(Chunk(model, hidden.narrow(0, start, len), targets.narrow(0, start, len), temperature, confidence?.narrow(0, start, len)));
        }
        return (picked.Count == 0 ? zeros(0, float32, hidden.device) : cat(picked, 0)).MoveToOuterDisposeScope();
    }

    /// <summary>One chunk's log π(target), the ops of the plain computation: logits in float32, divided by the temperature,
    /// log-softmax, gathered; and WPO's confidence term into <paramref name="confidence"/> without gradient.</summary>
    static Tensor Chunk(CausalLM model, Tensor rows, Tensor targets, double temperature, Tensor? confidence)
    {
        using var scope = NewDisposeScope();
        var logits = model.Logits(rows).to(float32);
        if (temperature != 1.0) logits = logits / temperature;
        var logp = logits.log_softmax(-1);
        if (confidence is not null)
            using (no_grad()) confidence.copy_((logp.detach() * 2).logsumexp(-1)); // log Σ_v p(v)² = logsumexp(2·log p)
        return logp.gather(1, targets.unsqueeze(1)).squeeze(1).MoveToOuterDisposeScope();
    }

    sealed class Function : HandedOffFunction<Function>
    {
        public override string Name => "ChunkedTokenLogProbs";

        protected override Tensor Forward(AutogradContext ctx, object[] vars)
        {
            Tensor hidden = (Tensor)vars[0], weight = (Tensor)vars[1], targets = (Tensor)vars[2];
            var confidence = vars[3] as Tensor;
            var (model, chunkRows, temperature) = ((CausalLM)vars[4], (long)vars[5], (double)vars[6]);
            var picked = Chunks(model, hidden, targets, chunkRows, temperature, confidence);
            ctx.save_for_backward([hidden, targets]);
            ctx.save_data("model", model);
            ctx.save_data("chunk", chunkRows);
            ctx.save_data("temperature", temperature);
            ctx.save_data("hidden_grad", hidden.requires_grad);
            ctx.save_data("weight_grad", weight.requires_grad);
            ctx.save_data("inputs", vars.Length);
            return picked;
        }

        protected override List<Tensor> Backward(AutogradContext ctx, List<Tensor> saved, Tensor gradOutput)
        {
            Tensor hidden = saved[0], targets = saved[1];
            var model = (CausalLM)ctx.get_data("model");
            var (chunkRows, temperature) = ((long)ctx.get_data("chunk"), (double)ctx.get_data("temperature"));
            bool needHidden = (bool)ctx.get_data("hidden_grad"), needWeight = (bool)ctx.get_data("weight_grad");
            var weight = model.OutputWeight;
            var hiddenGrad = needHidden ? zeros_like(hidden) : null;
            var weightGrad = needWeight ? zeros_like(weight) : null;
            long n = hidden.shape[0];
            // The products written out (PlainHeadProducts); the logits' own ops (soft-cap, float32, temperature,
            // log-softmax, gather) through autograd from the product, or at bf16 and temperature 1 the kernel.
            using (var products = new PlainHeadProducts(weight, hidden.dtype, Math.Min(chunkRows, n), weightGrad))
                for (long start = 0; start < n; start += chunkRows)
                {
                    using var chunkScope = NewDisposeScope();
                    long len = Math.Min(chunkRows, n - start);
                    var rows = hidden.narrow(0, start, len).detach();
                    var z = products.Logits(rows);
                    using var grad = enable_grad(true);
                    var zLeaf = z.detach().requires_grad_(true);
                    var softCapped = model.SoftCapped(zLeaf);
                    var chunkTargets = targets.narrow(0, start, len);
                    var upstream = gradOutput.narrow(0, start, len);
                    Tensor zGrad;
                    if (temperature == 1.0 && CrossEntropyKernel.Applies(softCapped, chunkTargets))
                    {
                        // log p = −(cross-entropy), so the kernel's softmax − one_hot scaled by −upstream, rounded once, is
                        // the gradient the float32 log-softmax's backward and its cast back to bf16 give.
                        var scale = upstream.to(float32).neg().contiguous().data<float>().ToArray();
                        var plainZ = ReferenceEquals(softCapped, zLeaf);
                        var (_, g) = CrossEntropyKernel.Run(softCapped.detach(), chunkTargets, wantGrad: true, inPlace: true, rowScale: scale);
                        zGrad = plainZ ? g! : autograd.grad([softCapped], [zLeaf], [g!])[0];
                    }
                    else
                    {
                        var logits = softCapped.to(float32);
                        if (temperature != 1.0) logits = logits / temperature;
                        var picked = logits.log_softmax(-1).gather(1, chunkTargets.unsqueeze(1)).squeeze(1);
                        zGrad = autograd.grad([picked], [zLeaf], [upstream])[0];
                    }
                    products.Backward(zGrad, rows, hiddenGrad?.narrow(0, start, len), weightGrad);
                }
            var result = new List<Tensor> { hiddenGrad!, weightGrad! };
            for (int i = 2; i < (int)ctx.get_data("inputs"); i++) result.Add(null!);
            return result;
        }
    }
}
