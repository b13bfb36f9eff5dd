// q/k/v and gate/up are stored as one fused weight per layer and decoded as one matmul: the parameters stay the separate
// Hugging Face ones (views of the fused weight), the fused output is bit for bit the separate projections', updates to a
// part reach the fused weight, a part with an adapter (LoRA, SparseLoRA) is computed by its adapter, and training
// (gradients on) never takes the fused path.
using System.Runtime.Intrinsics.X86;
using Pharos.Models.Loading;
using Pharos.Models.Transformer;
using Pharos.Tests;
using static TorchSharp.torch;

namespace Pharos.Models.Tests.Transformer;

public class FusedProjectionsTests
{
    static readonly string Stories = RepoPaths.Samples("models", "stories260K");

    static CausalLM Bf16() => ModelLoader.Load(Stories, dtype: bfloat16);

    static Tensor Input(CausalLM model) => randn([1, 3, model.Config.HiddenSize], generator: new TorchSharp.torch.Generator(1)).to(bfloat16);

    static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    [FusedPathFact]
    public void Fused_output_is_bit_for_bit_the_separate_projections()
    {
        using var model = Bf16();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var x = Input(model);
        var attention = model.model.layers[0].self_attn;
        var fused = attention.Qkv.Fused(x);
        Assert.NotNull(fused);
        var parts = attention.Qkv.Split(fused);
        Assert.True(Same(parts[0], attention.q_proj.forward(x)));
        Assert.True(Same(parts[1], attention.k_proj.forward(x)));
        Assert.True(Same(parts[2], attention.v_proj.forward(x)));
        var mlp = model.model.layers[1].mlp;
        var gateUp = mlp.GateUp.Split(mlp.GateUp.Fused(x)!);
        Assert.True(Same(gateUp[0], mlp.gate_proj.forward(x)));
        Assert.True(Same(gateUp[1], mlp.up_proj.forward(x)));
    }

    [FusedPathFact]
    public void An_in_place_update_of_a_part_reaches_the_fused_weight()
    {
        using var model = Bf16();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var x = Input(model);
        var attention = model.model.layers[0].self_attn;
        var before = attention.Qkv.Split(attention.Qkv.Fused(x)!)[1].clone();
        attention.k_proj.weight.mul_(1.5);
        var after = attention.Qkv.Split(attention.Qkv.Fused(x)!)[1];
        Assert.True(Same(after, attention.k_proj.forward(x)));
        Assert.False(Same(after, before), "the update changed nothing");
    }

    sealed class Doubling : LinearAdapter
    {
        public override IEnumerable<(string Name, nn.Module Module)> Children => [];
        public override Tensor Forward(Linear layer, Tensor x) => layer.Base(x) * 2;
    }

    [Fact]
    public void A_part_with_an_adapter_is_computed_by_the_adapter_and_training_never_fuses()
    {
        using var model = Bf16();
        using var scope = NewDisposeScope();
        var x = Input(model);
        var attention = model.model.layers[1].self_attn;
        using (enable_grad()) Assert.Null(attention.Qkv.Fused(x));
        attention.v_proj.Attach(new Doubling());
        using var noGrad = no_grad();
        Assert.Null(attention.Qkv.Fused(x));
        var parts = attention.Qkv.Forward(x);
        Assert.True(Same(parts[2], attention.v_proj.Base(x) * 2));
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

/// <summary>A fact that needs the fused path, which runs on AVX-512 only; elsewhere it is reported as skipped, not passed.</summary>
public sealed class FusedPathFactAttribute : FactAttribute
{
    public FusedPathFactAttribute()
    {
        if (!Avx512F.IsSupported) Skip = "no AVX-512 on this CPU: the fused projections never run, the separate ones always do";
    }
}
