// Pharos's inference kernels against libtorch's eager ops on real checkpoints: RMSNorm, the gated activation and the
// decode attention (rotation, cache write, grouped heads, sliding windows, soft-capping) give the eager results, in
// float32 to 1e-4 (the reference tests' tolerance) and in bfloat16 to its rounding. Runs alone: it switches the kernels off process-wide for comparison.
using Pharos.Models.Kernels;
using Pharos.Models.Loading;
using Pharos.Models.Tests.Transformer;
using static TorchSharp.torch;

namespace Pharos.Models.Tests.Kernels;

[CollectionDefinition(nameof(KernelSwitch), DisableParallelization = true)]
public sealed class KernelSwitch;

[Collection(nameof(KernelSwitch))]
public class DecodeKernelsTests
{
    /// <summary>Logits of every decode step of greedy decoding [steps, rows, vocab] (float32), with the kernels on or off.</summary>
    static Tensor StepLogits(string fixture, ScalarType dtype, bool kernels)
    {
        bool before = SmallBatchMatmul.Enabled;
        SmallBatchMatmul.Enabled = kernels;
        try
        {
            using var reference = new ReferenceFixture(fixture);
            using var model = ModelLoader.Load(reference.Folder, dtype: dtype);
            var prompts = reference.Ids("prompt_ids");
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
        finally { SmallBatchMatmul.Enabled = before; }
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
}
