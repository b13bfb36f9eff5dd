// The exactness: sparsity 0 is LoRA (1e-6); sliced equals dense with unchosen channels masked (1e-5) for every family,
// MLP and attention with GQA; sequences of answer tokens only are LoRA; the same two comparisons under bf16 compute, to bf16
// rounding; evaluation is dense.
using Pharos.Tests;
using Pharos.Training.Adapters;
using Pharos.Training.Adapters.SparseLora;
using Pharos.Training.Objectives;
using Pharos.Training.Precision;
using static Pharos.Training.Tests.SparseLora.SparseLoraHarness;
using static TorchSharp.torch;
using LoraApi = Pharos.Training.Adapters.Lora;
using SparseLoraApi = Pharos.Training.Adapters.SparseLora.SparseLora;

namespace Pharos.Training.Tests.SparseLora;

public class ExactnessTests
{
    public static TheoryData<string> Families => new() { "llama", "qwen2", "gemma2" };

    /// <param name="bf16">under train.precision bf16: a bf16 frozen base, float32 LoRA factors, bf16 compute</param>
    static (double Loss, Dictionary<string, Tensor> Grads) LoraStep(string family, Pharos.Training.Datasets.Batch batch, bool bf16 = false)
    {
        using var model = bf16 ? LoadBf16(family) : Load(family);
        LoraApi.Apply(model, LoraOpts, seed: 3, new Generator(4));
        RandomizeB(model);
        if (bf16) PrecisionPolicy.Bfloat16.Apply(model);
        return Step(model, new CausalLmObjective(), batch);
    }

    static (double Loss, Dictionary<string, Tensor> Grads) SparseStep(string family, Pharos.Training.Datasets.Batch batch, Func<int, SparsitySchedule> schedule,
        bool masked = false, Action<SparseLoraContext>? check = null, bool sparseBranch = false, bool bf16 = false)
    {
        using var model = bf16 ? LoadBf16(family) : Load(family);
        var dropout = new Generator(4);
        var options = new SparseLoraOptions { Schedule = schedule(model.Config.NumLayers), SparseLoraBranch = sparseBranch };
        // Under bf16 the estimator comes from the float32 weights, as a run that starts from a float32 checkpoint caches it.
        using var probe = bf16 ? Load(family) : null;
        var context = SparseLoraApi.Apply(model, LoraOpts, options, Estimators(probe ?? model), seed: 3, dropout,
            masked ? (layer, rng, ctx, channels, role) => new MaskedDenseAdapter(layer, LoraOpts, rng, dropout, ctx, channels, role, sparseBranch) : null);
        RandomizeB(model);
        if (bf16) PrecisionPolicy.Bfloat16.Apply(model);
        var result = Step(model, new SparseLoraObjective(new CausalLmObjective(), context), batch);
        check?.Invoke(context);
        return result;
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void Sparsity_zero_equals_lora(string family)
    {
        using var batch = Batch(16, 9, 4);
        var lora = LoraStep(family, batch);
        // Zero everywhere: the configuration users write.
        var dense = SparseStep(family, batch, SparsitySchedule.Dense);
        AllClose.Equal(lora.Loss, dense.Loss, rtol: 1e-6, atol: 1e-6, "loss");
        Assert.True(MaxGradDiff(lora.Grads, dense.Grads) <= 1e-6);
        // Every channel kept through the sliced code path (selection, index_select, scatter): still LoRA.
        var all = SparseStep(family, batch, n => SparsitySchedule.Uniform(n, 1e-9, 1e-9), check: c => Assert.True(c.Flops.Dense > 0));
        AllClose.Equal(lora.Loss, all.Loss, rtol: 1e-6, atol: 1e-6, "loss");
        Assert.True(MaxGradDiff(lora.Grads, all.Grads) <= 1e-6, $"max relative gradient difference {MaxGradDiff(lora.Grads, all.Grads)}");
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void Sliced_equals_dense_with_masked_channels(string family)
    {
        using var batch = Batch(16, 9, 4);
        foreach (var (mlp, attn) in new[] { (0.5, 0.0), (0.0, 0.5), (0.75, 0.5) })
        {
            Func<int, SparsitySchedule> schedule = n => SparsitySchedule.Uniform(n, mlp, attn);
            var sliced = SparseStep(family, batch, schedule, check: c => Assert.True(c.Flops.Actual < c.Flops.Dense));
            var masked = SparseStep(family, batch, schedule, masked: true);
            var lora = LoraStep(family, batch);
            AllClose.Equal(masked.Loss, sliced.Loss, rtol: 1e-5, atol: 1e-6, "loss");
            double diff = MaxGradDiff(masked.Grads, sliced.Grads);
            Assert.True(diff <= 1e-5, $"mlp {mlp} attn {attn}: max relative gradient difference {diff}");
            // And sparsity really changed something (the test would pass vacuously otherwise).
            Assert.NotEqual(lora.Loss, sliced.Loss, 1e-7);
        }
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void Sparse_lora_branch_equals_dense_with_base_and_branch_masked(string family)
    {
        using var batch = Batch(16, 9, 4);
        foreach (var (mlp, attn) in new[] { (0.5, 0.0), (0.0, 0.5), (0.75, 0.5) })
        {
            Func<int, SparsitySchedule> schedule = n => SparsitySchedule.Uniform(n, mlp, attn);
            (double Dense, double Actual) denseBranchFlops = default, slicedBranchFlops = default;
            var sliced = SparseStep(family, batch, schedule, check: c => slicedBranchFlops = c.Flops, sparseBranch: true);
            var masked = SparseStep(family, batch, schedule, masked: true, sparseBranch: true);
            var denseBranch = SparseStep(family, batch, schedule, check: c => denseBranchFlops = c.Flops);
            AllClose.Equal(masked.Loss, sliced.Loss, rtol: 1e-5, atol: 1e-6, "loss");
            double diff = MaxGradDiff(masked.Grads, sliced.Grads);
            Assert.True(diff <= 1e-5, $"mlp {mlp} attn {attn}: max relative gradient difference {diff}");
            // Masking the branch is a different computation from keeping it dense (else the test proves nothing) …
            Assert.NotEqual(denseBranch.Loss, sliced.Loss, 1e-7);
            // … and it does fewer FLOPs for the same dense reference.
            Assert.Equal(denseBranchFlops.Dense, slicedBranchFlops.Dense);
            Assert.True(slicedBranchFlops.Actual < denseBranchFlops.Actual, $"{slicedBranchFlops.Actual} vs {denseBranchFlops.Actual}");
        }
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void Sparse_lora_branch_with_every_channel_kept_equals_lora(string family)
    {
        using var batch = Batch(16, 9, 4);
        var lora = LoraStep(family, batch);
        (double Dense, double Actual) flops = default;
        var all = SparseStep(family, batch, n => SparsitySchedule.Uniform(n, 1e-9, 1e-9), check: c => flops = c.Flops, sparseBranch: true);
        AllClose.Equal(lora.Loss, all.Loss, rtol: 1e-6, atol: 1e-6, "loss");
        Assert.True(MaxGradDiff(lora.Grads, all.Grads) <= 1e-6, $"max relative gradient difference {MaxGradDiff(lora.Grads, all.Grads)}");
        // Every channel kept: the sliced base and branch do exactly the dense multiply-adds.
        Assert.True(flops.Dense > 0);
        Assert.Equal(1.0, flops.Actual / flops.Dense, 1e-12);
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void Answer_tokens_only_equals_lora(string family)
    {
        using var batch = Batch(16, 0, 0);
        var lora = LoraStep(family, batch);
        var sparse = SparseStep(family, batch, n => SparsitySchedule.Uniform(n, 0.9, 0.75));
        AllClose.Equal(lora.Loss, sparse.Loss, rtol: 1e-6, atol: 1e-6, "loss");
        Assert.True(MaxGradDiff(lora.Grads, sparse.Grads) <= 1e-6);
    }

    // Under bf16 compute the dense LoRA branch of a sliced projection is one product with the scale folded into lora_B and the
    // sliced base is added into it in place: every channel kept is still LoRA's bf16 step to bf16 rounding, and sliced still
    // equals the masked dense reference within what a flipped channel choice moves.
    [Theory]
    [InlineData("llama")]
    [InlineData("gemma2")]
    public void Bf16_every_channel_kept_equals_lora_and_sliced_equals_masked(string family)
    {
        using var batch = Batch(16, 9, 4);
        var lora = LoraStep(family, batch, bf16: true);
        var all = SparseStep(family, batch, n => SparsitySchedule.Uniform(n, 1e-9, 1e-9), bf16: true);
        Func<int, SparsitySchedule> schedule = n => SparsitySchedule.Uniform(n, 0.75, 0.5);
        var sliced = SparseStep(family, batch, schedule, bf16: true);
        var reference = SparseStep(family, batch, schedule, masked: true, bf16: true);
        // Every channel kept: only where bf16 rounds differs (the branch is rounded by itself before the base is added; LoRA's
        // addmm rounds the sum once). Measured: 7e-6 (gemma2) and 1.6e-4 (llama) of the loss; a 1.5x error in the folded scale
        // moved it by 9.6e-4 and 6.7e-3.
        AllClose.Equal(lora.Loss, all.Loss, rtol: 5e-4, atol: 0, "loss, every channel kept vs LoRA");
        double keptDiff = MaxGradDiff(lora.Grads, all.Grads);
        Assert.True(keptDiff <= 0.2, $"every channel kept vs LoRA: max relative gradient difference {keptDiff}");
        // Sliced vs masked: bf16 differences in the layers below can flip a channel choice, so only the loss is compared, loosely
        // (measured 0.12% and 0.37%); the float32 tests hold the same comparison to 1e-5.
        AllClose.Equal(reference.Loss, sliced.Loss, rtol: 1e-2, atol: 0, "loss, sliced vs masked dense");
        // Sparsity changed the step by more than that tolerance (else the comparison would hold vacuously).
        Assert.True(Math.Abs(lora.Loss - sliced.Loss) > 2e-2 * lora.Loss, $"LoRA {lora.Loss} vs sliced {sliced.Loss}");
    }


    [Fact]
    public void Evaluation_is_dense()
    {
        using var batch = Batch(16, 9, 4);
        using var lora = Load("gemma2");
        LoraApi.Apply(lora, LoraOpts, seed: 3);
        RandomizeB(lora);
        using var sparse = Load("gemma2");
        var context = SparseLoraApi.Apply(sparse, LoraOpts, new SparseLoraOptions { Schedule = SparsitySchedule.Uniform(3, 0.9, 0.75) }, Estimators(sparse), seed: 3);
        RandomizeB(sparse);
        lora.eval();
        sparse.eval();
        using var noGrad = no_grad();
        var objective = new SparseLoraObjective(new CausalLmObjective(), context);
        Assert.Equal(new CausalLmObjective().Loss(lora, batch).LossSum.item<float>(), objective.Loss(sparse, batch).LossSum.item<float>());
        using var a = lora.Forward(batch.InputIds);
        using var b = sparse.Forward(batch.InputIds);
        Assert.Equal(0, (a - b).abs().max().item<float>());
    }
}
