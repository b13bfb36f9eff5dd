// Pharos's decoding matmul on real tensors: it equals libtorch's bfloat16 linear to bfloat16 rounding (float32 sums in
// another order), a row's result is bit-identical whatever rows are computed beside it, gradients still go through
// libtorch, and a bfloat16 model decodes the same tokens alone and batched.
using System.Runtime.Intrinsics.X86;
using Pharos.Models.Generation;
using Pharos.Models.Kernels;
using Pharos.Models.Loading;
using Pharos.Tests;
using static TorchSharp.torch;

namespace Pharos.Models.Tests.Kernels;

public class SmallBatchMatmulTests
{
    [Theory]
    [InlineData(1, 768, 2304, false)]
    [InlineData(3, 100, 37, true)]    // k not a multiple of 16, n not a multiple of 8
    [InlineData(1, 100, 37, true)]    // one row: the streamed path, with a k tail and a bias
    [InlineData(13, 100, 37, true)]   // 8 x 2 blocks, then 4 x 4 and single rows
    [InlineData(8, 2048, 768, false)]
    [InlineData(16, 64, 1000, true)]
    public void Equals_libtorch_bfloat16_linear_to_rounding(int m, int k, int n, bool withBias)
    {
        using var scope = NewDisposeScope();
        var gen = new TorchSharp.torch.Generator(7);
        var x = randn([2, m, k], generator: gen).to(bfloat16).narrow(0, 1, 1).squeeze(0); // a view, as layers pass
        var w = (randn([n, k], generator: gen) * 0.05).to(bfloat16);
        var b = withBias ? randn([n], generator: gen).to(bfloat16) : null;
        using var noGrad = no_grad();
        var ours = SmallBatchMatmul.Linear(x, w, b).to(float32);
        var exact = nn.functional.linear(x.to(float64), w.to(float64), b?.to(float64)).to(float32);
        var theirs = nn.functional.linear(x, w, b).to(float32);
        Assert.Equal(theirs.shape, ours.shape);
        // Both are float32 sums rounded to bfloat16: within one bfloat16 step (2^-8 relative) of the exact value.
        Assert.True(allclose(ours, exact, rtol: 1.0 / 128, atol: 1e-6), $"max error {(ours - exact).abs().max().item<float>():E2}");
        Assert.True(allclose(theirs, exact, rtol: 1.0 / 128, atol: 1e-6));
    }

    [Theory]
    [InlineData(768, false)]
    [InlineData(768, true)]   // 8 × 2 blocks against rows streamed alone, with biases
    [InlineData(100, true)]   // a k tail after the 16-wide blocks
    public void A_rows_result_does_not_depend_on_the_rows_beside_it(int k, bool withBias)
    {
        using var scope = NewDisposeScope();
        var gen = new TorchSharp.torch.Generator(3);
        var x = randn([16, k], generator: gen).to(bfloat16);
        var w = (randn([3000, k], generator: gen) * 0.05).to(bfloat16);
        var b = withBias ? randn([3000], generator: gen).to(bfloat16) : null;
        using var noGrad = no_grad();
        var all = SmallBatchMatmul.Linear(x, w, b);
        for (int i = 0; i < 16; i += 5)
            Assert.True(SmallBatchMatmul.Linear(x.narrow(0, i, 1), w, b).eq(all.narrow(0, i, 1)).all().item<bool>(), $"row {i} differs alone");
        Assert.True(SmallBatchMatmul.Linear(x.narrow(0, 4, 8), w, b).eq(all.narrow(0, 4, 8)).all().item<bool>());
        Assert.True(SmallBatchMatmul.Linear(x.narrow(0, 3, 5), w, b).eq(all.narrow(0, 3, 5)).all().item<bool>());
    }

    [Theory]
    [InlineData(1, 768, 2304)]
    [InlineData(8, 2048, 768)]
    [InlineData(13, 100, 37)]    // fewer weight rows than chunks of 8: most chunks are empty
    [InlineData(3, 64, 32000)]
    public void Chunks_taken_over_between_threads_give_the_bits_of_fixed_parts(int m, int k, int n)
    {
        using var scope = NewDisposeScope();
        var gen = new TorchSharp.torch.Generator(5);
        var x = randn([m, k], generator: gen).to(bfloat16);
        var w = (randn([n, k], generator: gen) * 0.05).to(bfloat16);
        using var noGrad = no_grad();
        bool before = SmallBatchMatmul.Stealing;
        try
        {
            SmallBatchMatmul.Stealing = false;
            var fixedParts = SmallBatchMatmul.Linear(x, w);
            SmallBatchMatmul.Stealing = true;
            for (int rep = 0; rep < 5; rep++)
                Assert.True(SmallBatchMatmul.Linear(x, w).eq(fixedParts).all().item<bool>(), $"repetition {rep} differs");
        }
        finally { SmallBatchMatmul.Stealing = before; }
    }

    [Fact]
    public void A_thread_that_is_done_claims_the_chunks_the_others_have_not_started_and_each_chunk_runs_once()
    {
        const int threads = 3, per = SmallBatchMatmul.ChunksPerThread;
        var next = new int[threads * SmallBatchMatmul.ClaimStride];
        SmallBatchMatmul.ResetClaims(next, threads);
        var runs = new int[threads * per];
        var byThread = Enumerable.Range(0, threads).Select(_ => new List<int>()).ToArray();
        void Run(int t)
        {
            int turn = 0;
            for (int c; (c = SmallBatchMatmul.NextClaim(t, threads, next, ref turn, steal: true)) >= 0;) { runs[c]++; byThread[t].Add(c); }
        }
        // Thread 0 has claimed its first two chunks and is still on them (a descheduled thread), thread 1 has not started.
        next[0] += 2;
        runs[0] = runs[1] = 1;
        // Thread 2 does its own chunks, then thread 0's remaining six and all of thread 1's; the late ones find nothing.
        Run(2);
        Run(1);
        Run(0);
        Assert.All(runs, r => Assert.Equal(1, r));
        Assert.Equal(Enumerable.Range(2 * per, per).Concat(Enumerable.Range(2, per - 2)).Concat(Enumerable.Range(per, per)), byThread[2]);
        Assert.Empty(byThread[1]);
        Assert.Empty(byThread[0]);

        // Without stealing a thread that is done stops: the others' chunks are left to them.
        SmallBatchMatmul.ResetClaims(next, threads);
        int own = 0;
        for (int c; (c = SmallBatchMatmul.NextClaim(2, threads, next, ref own, steal: false)) >= 0;) Assert.InRange(c, 2 * per, 3 * per - 1);
        int late = 0;
        Assert.Equal(0, SmallBatchMatmul.NextClaim(0, threads, next, ref late, steal: false));
    }

    [Fact]
    public void A_NaN_in_an_8_row_block_comes_out_as_NaN_and_leaves_the_other_outputs_as_they_were()
    {
        using var scope = NewDisposeScope();
        var gen = new TorchSharp.torch.Generator(5);
        var x = randn([8, 64], generator: gen).to(bfloat16);
        var w = (randn([16, 64], generator: gen) * 0.05).to(bfloat16);
        using var noGrad = no_grad();
        var clean = SmallBatchMatmul.Linear(x, w);
        x[2, 7] = tensor(float.NaN).to(bfloat16);
        var y = SmallBatchMatmul.Linear(x, w);
        Assert.True(y[2].isnan().all().item<bool>());
        var others = ones(8, dtype: @bool);
        others[2] = false;
        Assert.True(y[others].eq(clean[others]).all().item<bool>());
    }

    [Fact]
    public void Gradients_still_flow_through_libtorch()
    {
        using var scope = NewDisposeScope();
        var x = randn([2, 64]).to(bfloat16).requires_grad_();
        var w = randn([8, 64]).to(bfloat16);
        var y = SmallBatchMatmul.Linear(x, w);
        y.sum().backward();
        Assert.NotNull(x.grad);
    }

    [Fact]
    public void A_bfloat16_model_decodes_the_same_tokens_alone_and_batched()
    {
        Assert.True(Avx512F.IsSupported || !SmallBatchMatmul.Enabled);
        using var model = ModelLoader.Load(RepoPaths.Samples("models", "stories260K"), dtype: bfloat16);
        var greedy = new GenerationOptions { MaxNewTokens = 30 };
        int[][] prompts = [[1], [1, 403, 407], [1, 261, 378, 403], [1, 407]];
        var batched = new TokenGenerator(model).Generate(prompts, greedy);
        for (int i = 0; i < prompts.Length; i++)
            Assert.Equal(new TokenGenerator(model).Generate([prompts[i]], greedy)[0].Tokens, batched[i].Tokens);
    }
}
