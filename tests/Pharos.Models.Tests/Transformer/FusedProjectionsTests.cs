// q/k/v and gate/up are stored as one fused weight per layer and run as one matmul at inference: the parameters stay the
// separate Hugging Face ones (views of the fused weight), the fused forward equals the separate projections, updates to
// a part reach the fused weight, and a part with an adapter (LoRA, SparseLoRA) is computed by its adapter.
using Pharos.Models.Loading;
using Pharos.Models.Transformer;
using Pharos.Tests;
using static TorchSharp.torch;

namespace Pharos.Models.Tests.Transformer;

public class FusedProjectionsTests
{
    static readonly string Stories = RepoPaths.Samples("models", "stories260K");

    static Tensor Logits(CausalLM model, bool fused)
    {
        using var ids = tensor(new long[] { 1, 403, 407, 261, 378 }).unsqueeze(0);
        // With gradients wanted the layers take the separate projections, as training does.
        using var mode = fused ? no_grad() : enable_grad();
        using var logits = model.Forward(ids);
        return logits.detach().clone();
    }

    static void AssertClose(Tensor expected, Tensor actual, double atol = 1e-5, double rtol = 1e-5) =>
        Assert.True(allclose(actual, expected, rtol, atol), $"max abs difference {(actual - expected).abs().max().item<float>():E2}");

    [Fact]
    public void Fused_forward_equals_the_separate_projections()
    {
        using var model = ModelLoader.Load(Stories);
        using var separate = Logits(model, fused: false);
        using var fused = Logits(model, fused: true);
        AssertClose(separate, fused);
    }

    [Fact]
    public void An_in_place_update_of_a_part_reaches_the_fused_weight()
    {
        using var model = ModelLoader.Load(Stories);
        using var before = Logits(model, fused: true);
        using (no_grad())
        {
            model.model.layers[0].self_attn.k_proj.weight.mul_(1.5);
            model.model.layers[2].mlp.up_proj.weight.add_(0.01);
        }
        using var separate = Logits(model, fused: false);
        using var fused = Logits(model, fused: true);
        AssertClose(separate, fused);
        Assert.False(allclose(before, fused, 1e-3, 1e-3), "the update changed nothing");
    }

    sealed class Doubling : LinearAdapter
    {
        public override IEnumerable<(string Name, nn.Module Module)> Children => [];
        public override Tensor Forward(Linear layer, Tensor x) => layer.Base(x) * 2;
    }

    [Fact]
    public void A_part_with_an_adapter_is_computed_by_the_adapter_also_at_inference()
    {
        using var model = ModelLoader.Load(Stories);
        using var plain = Logits(model, fused: true);
        model.model.layers[1].self_attn.v_proj.Attach(new Doubling());
        model.model.layers[3].mlp.gate_proj.Attach(new Doubling());
        using var separate = Logits(model, fused: false);
        using var inference = Logits(model, fused: true);
        AssertClose(separate, inference);
        Assert.False(allclose(plain, inference, 1e-3, 1e-3), "the adapter was skipped");
    }

    [Fact]
    public void Parts_are_views_of_one_fused_weight_and_keep_their_names()
    {
        using var model = ModelLoader.Load(Stories);
        var attention = model.model.layers[0].self_attn;
        var names = model.named_parameters().Select(p => p.name).Where(n => n.StartsWith("model.layers.0.", StringComparison.Ordinal)).ToArray();
        Assert.Contains("model.layers.0.self_attn.q_proj.weight", names);
        Assert.Contains("model.layers.0.mlp.up_proj.weight", names);
        Assert.DoesNotContain(names, n => n.Contains("fused", StringComparison.OrdinalIgnoreCase));
        using var q = attention.q_proj.weight.storage<float>();
        using var k = attention.k_proj.weight.storage<float>();
        Assert.Equal(q.data_ptr(), k.data_ptr());
        Assert.Equal(attention.q_proj.OutFeatures * attention.q_proj.InFeatures, attention.k_proj.weight.storage_offset());
    }
}
