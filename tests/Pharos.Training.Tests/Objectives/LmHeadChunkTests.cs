// How many positions the causal-LM loss projects to the vocabulary at a time when the caller does not say: more than 512
// only where one chunk's bf16 logits stay small, and the loss and gradients the same whatever the chunking.
using Pharos.Models.Loading;
using Pharos.Tests;
using Pharos.Training.Datasets;
using Pharos.Training.Objectives;
using static TorchSharp.torch;

namespace Pharos.Training.Tests.Objectives;

public class LmHeadChunkTests
{
    [Theory]
    [InlineData(32000, 1024)]   // Llama 2 / the bench Llama: 64 MB of bf16 logits
    [InlineData(16000, 2048)]
    [InlineData(50257, 512)]    // GPT-2 sized: 512 rows are already over the budget
    [InlineData(256000, 512)]   // Gemma 2: never fewer than 512 rows
    public void Default_chunk_grows_only_while_the_logits_stay_within_64_MB(long vocab, long rows) =>
        Assert.Equal(rows, ChunkedLmHeadLoss.DefaultChunkRows(vocab));

    [Fact]
    public void The_default_chunk_gives_the_loss_and_gradients_of_small_chunks()
    {
        // The untied output weight's gradient is summed over the chunks; the embedding's comes through every position's.
        (double Loss, double[] Grad) Run(long? chunkRows)
        {
            using var scope = NewDisposeScope();
            using var model = ModelLoader.Load(RepoPaths.Fixtures("Pharos.Models.Tests", "tiny-llama"), CPU, float32);
            model.train();
            var rng = new Random(5);
            var rows = Enumerable.Range(0, 3).Select(_ =>
            {
                var ids = Enumerable.Range(0, 20).Select(_ => rng.Next(3, 250)).ToArray();
                return new PackedSequence(ids, Enumerable.Repeat(true, 20).ToArray(), new int[20], Enumerable.Range(0, 20).ToArray());
            }).ToList();
            using var batch = BatchBuilder.Build(rows, 0, CPU);
            var loss = new CausalLmObjective(chunkRows: chunkRows).Loss(model, batch).LossSum;
            loss.backward();
            double[] Grad(string name) =>
                model.named_parameters().Single(p => p.name == name).parameter.grad!.to(float64).contiguous().data<double>().ToArray();
            return (loss.item<float>(), [.. Grad("lm_head.weight"), .. Grad("model.embed_tokens.weight")]);
        }
        var small = Run(7);      // 60 positions in chunks of 7, the last one short
        var whole = Run(null);   // a 300-token vocabulary: every position in one chunk
        Assert.Equal(small.Loss, whole.Loss, 1e-4 * Math.Abs(small.Loss));
        double scale = small.Grad.Max(Math.Abs);
        Assert.True(scale > 0);
        for (int i = 0; i < small.Grad.Length; i++) Assert.True(Math.Abs(small.Grad[i] - whole.Grad[i]) <= 1e-5 * scale, $"gradient {i}");
    }
}
