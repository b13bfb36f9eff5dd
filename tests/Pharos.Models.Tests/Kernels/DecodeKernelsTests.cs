// Pharos's inference kernels against libtorch's eager ops on real checkpoints: RMSNorm, the gated activation and the
// decode attention (rotation, cache write, grouped heads, sliding windows, soft-capping) give the eager results, in
// float32 to 1e-4 (the reference tests' tolerance) and in bfloat16 to its rounding. Runs alone: it switches the kernels off process-wide for comparison.
using Pharos.Models.Generation;
using Pharos.Models.Kernels;
using Pharos.Models.Loading;
using Pharos.Models.Tests.Transformer;
using Pharos.Models.Transformer;
using TorchSharp;
using static TorchSharp.torch;

namespace Pharos.Models.Tests.Kernels;

[CollectionDefinition(nameof(KernelSwitch), DisableParallelization = true)]
public sealed class KernelSwitch;

[Collection(nameof(KernelSwitch))]
public class DecodeKernelsTests
{
    /// <summary>Logits of every decode step of greedy decoding [steps, rows, vocab] (float32), with the kernels on or off.</summary>
    /// <param name="wholeStep">Whether the layers may run as one routine (DecodeStepKernel) or op by op.</param>
    /// <param name="rows">How many of the fixture's prompts decode side by side (all of them when null).</param>
    static Tensor StepLogits(string fixture, ScalarType dtype, bool kernels, bool wholeStep = true, int? rows = null)
    {
        using var reference = new ReferenceFixture(fixture);
        var prompts = reference.Ids("prompt_ids");
        if (rows is int count) prompts = prompts.Take(count).ToArray();
        return StepLogits(reference.Folder, prompts, dtype, kernels, wholeStep);
    }

    static Tensor StepLogits(string folder, int[][] prompts, ScalarType dtype, bool kernels, bool wholeStep)
    {
        bool before = SmallBatchMatmul.Enabled, stepBefore = DecodeStepKernel.Enabled;
        SmallBatchMatmul.Enabled = kernels;
        DecodeStepKernel.Enabled = wholeStep;
        try
        {
            using var model = ModelLoader.Load(folder, dtype: dtype);
            // Same inputs on both sides: prompts of different lengths, then a fixed token sequence rather than each side's choices.
            var logits = new List<Tensor>();
            using var noGrad = no_grad();
            using var cache = model.NewRowCache(prompts.Length, 64);
            for (int r = 0; r < prompts.Length; r++)
                model.Prefill(tensor(prompts[r].Select(x => (long)x).ToArray()).unsqueeze(0), cache, r, wantLogits: false);
            for (int step = 0; step < 12; step++)
            {
                var positions = Enumerable.Range(0, prompts.Length).Select(r => cache.Length(r)).ToArray();
                using var ids = tensor(Enumerable.Range(0, prompts.Length).Select(r => (long)(3 + (step * 7 + r * 5) % 60)).ToArray()).unsqueeze(1);
                using var pos = tensor(positions).unsqueeze(1);
                logits.Add(model.DecodeStep(ids, pos, positions.Max() + 1, positions, cache).to(float32));
                for (int r = 0; r < prompts.Length; r++) cache.Advance(r, 1);
            }
            return stack(logits);
        }
        finally { (SmallBatchMatmul.Enabled, DecodeStepKernel.Enabled) = (before, stepBefore); }
    }

    [Theory]
    [InlineData("tiny-llama")]
    [InlineData("tiny-qwen2")]
    [InlineData("tiny-gemma2")]   // grouped heads, sliding window of 8 passed during the 12 steps, soft-capping
    [InlineData("stories260K")]
    public void Decode_steps_equal_the_eager_ops_in_float32(string fixture)
    {
        using var ours = StepLogits(fixture, float32, kernels: true);
        using var eager = StepLogits(fixture, float32, kernels: false);
        Assert.True(allclose(ours, eager, rtol: 1e-4, atol: 1e-4), $"max difference {(ours - eager).abs().max().item<float>():E2}");
    }

    [Theory]
    [InlineData("tiny-gemma2")]
    [InlineData("stories260K")]
    public void Decode_steps_follow_the_eager_ops_in_bfloat16(string fixture)
    {
        using var ours = StepLogits(fixture, bfloat16, kernels: true);
        using var eager = StepLogits(fixture, bfloat16, kernels: false);
        using var fp32 = StepLogits(fixture, float32, kernels: false);
        // bf16 carries ~3 significant digits; the kernels sum in another order, so compare against the float32 truth:
        // the kernels must be as close to it as the eager bfloat16 ops are.
        double ourError = (ours - fp32).abs().max().item<float>(), eagerError = (eager - fp32).abs().max().item<float>();
        Assert.True(ourError <= 1.5 * eagerError + 1e-3, $"kernels {ourError:E2} vs eager {eagerError:E2} from float32");
    }

    [KernelTheory]
    [InlineData("tiny-llama")]
    [InlineData("tiny-gemma2")]        // sliding window, soft-capping
    public void Parts_taken_over_give_the_fixed_parts_logits_in_bfloat16(string fixture)
    {
        // The matmul's chunks and the attention's (row, head) items, taken by whichever thread is free, against fixed
        // parts per thread, over prompts of different lengths: every output is computed once, the same way, whoever does it.
        bool before = SmallBatchMatmul.Stealing;
        try
        {
            SmallBatchMatmul.Stealing = false;
            using var fixedParts = StepLogits(fixture, bfloat16, kernels: true);
            SmallBatchMatmul.Stealing = true;
            using var takenOver = StepLogits(fixture, bfloat16, kernels: true);
            Assert.True(fixedParts.eq(takenOver).all().item<bool>(), $"max difference {(fixedParts - takenOver).abs().max().item<float>():E2}");
        }
        finally { SmallBatchMatmul.Stealing = before; }
    }

    [KernelTheory]
    [InlineData("tiny-llama", 1)]
    [InlineData("tiny-llama", null)]
    [InlineData("tiny-qwen2", 1)]      // q/k/v biases
    [InlineData("tiny-qwen2", null)]
    [InlineData("tiny-gemma2", 1)]     // sandwich norms, (1 + w), GeGLU, soft-capping, sliding window
    [InlineData("tiny-gemma2", null)]
    [InlineData("stories260K", null)]
    public void Whole_step_decoding_gives_the_per_op_kernels_logits_in_bfloat16(string fixture, int? rows)
    {
        using var whole = StepLogits(fixture, bfloat16, kernels: true, wholeStep: true, rows);
        using var perOp = StepLogits(fixture, bfloat16, kernels: true, wholeStep: false, rows);
        // Same roundings at the same places and the same float32 code: equal (bit for bit on this machine).
        Assert.True(allclose(whole, perOp, rtol: 1e-5, atol: 1e-6), $"max difference {(whole - perOp).abs().max().item<float>():E2}");
    }

    [KernelTheory]
    [InlineData(1)]
    [InlineData(3)]
    public void Whole_step_decoding_with_the_rotary_table_gives_the_per_op_logits(int rows)
    {
        // tiny-llama's weights read as 2 heads of 32 (1 key/value head): a head dim the rotary table serves (the
        // fixtures' 16 takes libtorch's cos/sin at every step), with llama3 frequency scaling.
        using var reference = new ReferenceFixture("tiny-llama");
        var folder = Directory.CreateTempSubdirectory("pharos-rotary-table-").FullName;
        try
        {
            foreach (var file in Directory.GetFiles(reference.Folder)) File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
            var config = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "config.json")))!;
            (config["num_attention_heads"], config["num_key_value_heads"], config["head_dim"]) = (2, 1, 32);
            File.WriteAllText(Path.Combine(folder, "config.json"), config.ToJsonString());
            var prompts = reference.Ids("prompt_ids").Take(rows).ToArray();
            using var whole = StepLogits(folder, prompts, bfloat16, kernels: true, wholeStep: true);
            using var perOp = StepLogits(folder, prompts, bfloat16, kernels: true, wholeStep: false);
            Assert.True(whole.eq(perOp).all().item<bool>(), $"max difference {(whole - perOp).abs().max().item<float>():E2}");
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    [KernelTheory]
    [InlineData("tiny-llama", 1)]
    [InlineData("tiny-llama", null)]
    [InlineData("tiny-qwen2", null)]
    [InlineData("tiny-gemma2", 1)]
    [InlineData("tiny-gemma2", null)]
    public void Whole_step_decoding_follows_the_libtorch_ops_in_bfloat16(string fixture, int? rows)
    {
        using var whole = StepLogits(fixture, bfloat16, kernels: true, wholeStep: true, rows);
        using var eager = StepLogits(fixture, bfloat16, kernels: false, rows: rows);
        using var fp32 = StepLogits(fixture, float32, kernels: false, rows: rows);
        double ourError = (whole - fp32).abs().max().item<float>(), eagerError = (eager - fp32).abs().max().item<float>();
        // bf16 carries ~3 significant digits and libtorch sums in another order: as in the per-op kernels' test above,
        // the whole step must be as close to the float32 truth as libtorch's bfloat16 ops are.
        Assert.True(ourError <= 1.5 * eagerError + 1e-3, $"whole step {ourError:E2} vs libtorch {eagerError:E2} from float32");
    }

    [KernelTheory]
    [InlineData("tiny-llama")]
    [InlineData("tiny-gemma2")]
    public void Whole_step_decoding_applies_only_to_plain_bfloat16_inference(string fixture)
    {
        using var reference = new ReferenceFixture(fixture);
        foreach (var dtype in new[] { bfloat16, float32 })
        {
            using var model = ModelLoader.Load(reference.Folder, dtype: dtype);
            using var cache = model.NewRowCache(2, 16);
            using var positions = tensor(new long[] { 3, 5 }).unsqueeze(1);
            using var step = cache.ForDecode(positions, 6, [3, 5]);
            using var h = zeros([2, 1, model.Config.HiddenSize], dtype);
            using (no_grad())
                Assert.Equal(dtype == bfloat16, DecodeStepKernel.Applies(h, model.model.layers, step));
            Assert.False(DecodeStepKernel.Applies(h, model.model.layers, step)); // gradient mode on: the per-op path
            using var ids = tensor(new long[] { 3, 4 }).unsqueeze(1);
            using (no_grad())
                Assert.Equal(dtype == bfloat16, DecodeStepKernel.AppliesToLogits(model, ids, step));
            Assert.False(DecodeStepKernel.AppliesToLogits(model, ids, step));
            if (dtype != bfloat16) continue;
            if (model.lm_head is not null)
            {
                // An adapter on the output projection keeps the layers in one routine and the projection a module's forward.
                model.lm_head.Attach(new Scaled());
                using (no_grad())
                {
                    Assert.True(DecodeStepKernel.Applies(h, model.model.layers, step));
                    Assert.False(DecodeStepKernel.AppliesToLogits(model, ids, step));
                }
            }
            // An adapter on one projection (as LoRA attaches itself) sends the step through the layers op by op.
            model.model.layers[^1].mlp.down_proj.Attach(new Scaled());
            using (no_grad())
            {
                Assert.False(DecodeStepKernel.Applies(h, model.model.layers, step));
                Assert.False(DecodeStepKernel.AppliesToLogits(model, ids, step));
            }
        }
    }

    [KernelFact]
    public void The_kept_layer_check_sees_a_model_moved_to_float32()
    {
        // The layers' conditions are kept between steps for the same objects; converting the weights must not reuse them.
        using var reference = new ReferenceFixture("tiny-llama");
        using var model = ModelLoader.Load(reference.Folder, dtype: bfloat16);
        using var cache = model.NewRowCache(2, 16);
        using var positions = tensor(new long[] { 3, 5 }).unsqueeze(1);
        using var step = cache.ForDecode(positions, 6, [3, 5]);
        using var ids = tensor(new long[] { 3, 4 }).unsqueeze(1);
        using var h = zeros([2, 1, model.Config.HiddenSize], bfloat16);
        using (no_grad())
        {
            Assert.True(DecodeStepKernel.Applies(h, model.model.layers, step));
            Assert.True(DecodeStepKernel.Applies(h, model.model.layers, step)); // kept
            model.model.layers[0].self_attn.o_proj.to(float32);
            Assert.False(DecodeStepKernel.Applies(h, model.model.layers, step));
        }
    }

    /// <summary>Greedy tokens of a few prompts decoded side by side through BatchDecoder, with the kernels and the
    /// whole-step routine on or off.</summary>
    static int[][] GreedyTokens(string fixture, bool kernels, bool wholeStep)
    {
        bool before = SmallBatchMatmul.Enabled, stepBefore = DecodeStepKernel.Enabled;
        (SmallBatchMatmul.Enabled, DecodeStepKernel.Enabled) = (kernels, wholeStep);
        try
        {
            using var reference = new ReferenceFixture(fixture);
            using var model = ModelLoader.Load(reference.Folder, dtype: bfloat16);
            var prompts = reference.Ids("prompt_ids");
            using var decoder = new BatchDecoder(model, prompts.Length);
            var options = new GenerationOptions { MaxNewTokens = 16 };
            var slots = prompts.Select(p => decoder.Admit(p, options)).ToArray();
            while (decoder.Prefilling || decoder.Decoding)
            {
                if (decoder.Prefilling) decoder.Prefill();
                decoder.Step();
            }
            return slots.Select(slot => decoder.Generated(slot).ToArray()).ToArray();
        }
        finally { (SmallBatchMatmul.Enabled, DecodeStepKernel.Enabled) = (before, stepBefore); }
    }

    [KernelTheory]
    [InlineData("tiny-llama", false)]
    [InlineData("tiny-qwen2", false)]
    [InlineData("tiny-gemma2", false)]   // embedding scale, tied output projection, final soft-capping
    [InlineData("stories260K", true)]
    public void Whole_step_greedy_decoding_gives_the_per_op_tokens_in_bfloat16(string fixture, bool trained)
    {
        var whole = GreedyTokens(fixture, kernels: true, wholeStep: true);
        Assert.All(whole, tokens => Assert.Equal(16, tokens.Length));
        Assert.Equal(GreedyTokens(fixture, kernels: true, wholeStep: false), whole);
        // libtorch's bfloat16 ops sum in another order: the random tiny models' near-flat logits then part ways after a
        // few tokens (with the per-op kernels as well), a trained model's clear choices do not.
        if (trained) Assert.Equal(GreedyTokens(fixture, kernels: false, wholeStep: false), whole);
    }

    /// <summary>An adapter that doubles its layer's output (any adapter takes over the Linear's forward).</summary>
    sealed class Scaled : LinearAdapter
    {
        public override IEnumerable<(string Name, nn.Module Module)> Children => [];
        public override Tensor Forward(Linear layer, Tensor x) => layer.Base(x) * 2;
    }
}
