// AdamW reads every parameter's .grad (to sum over ranks, clip and update), and each read is a new tensor handle that
// keeps the gradient's memory alive until it is disposed. A step must leave none behind: left to the garbage collector,
// every step's gradients stayed allocated beside the next step's (full fine-tuning of the ~110M Llama: its peak RSS 5.5
// instead of 3.9 GB, its step 2.8–3.4 instead of 2.3 s, from the memory faulted in afresh).
using Pharos.Tests;
using Pharos.Training.Optimizers;
using Parameter = TorchSharp.Modules.Parameter;
using static TorchSharp.torch;

namespace Pharos.Training.Tests.Optimizers;

public sealed class AdamWHandleTests
{
    [Fact]
    public void A_step_leaves_no_tensor_handle_alive()
    {
        var gen = new Generator(3);
        var parameters = new List<(string, Parameter)>
        {
            ("w", new Parameter(randn([64, 32], generator: gen))),
            ("b", new Parameter(randn([32], generator: gen))),
            ("w_bf16", new Parameter(randn([16, 8], generator: gen).to(bfloat16))),
        };
        using var optimizer = new AdamW(parameters);
        long left = LiveHandles.LeftBy(() =>
        {
            for (int step = 0; step < 3; step++)
            {
                foreach (var (_, p) in parameters)
                    using (var g = randn(p.shape, dtype: p.dtype, generator: gen)) p.grad = g;
                double norm = optimizer.Apply(1e-3, 1.0);
                Assert.True(norm > 0);
                foreach (var (_, p) in parameters) Assert.Null(p.grad);
            }
        });
        Assert.Equal(0, left);
    }
}
