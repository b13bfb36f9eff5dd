// The gradients make_trl_fixtures.py stores for every DPO and GRPO case (full fine-tuning of tiny-llama), and the one
// comparison both reference tests make of them: atol 1e-4 × the tensor's largest value, rtol 1e-4 (kernel-order noise).
using Pharos.Models.Safetensors;
using Pharos.Models.Transformer;
using Pharos.Tests;

namespace Pharos.Training.Tests;

internal static class TrlReferenceGradients
{
    static readonly string[] Names = ["lm_head.weight", "model.layers.0.self_attn.q_proj.weight", "model.layers.2.mlp.down_proj.weight"];

    public static void AssertMatch(SafetensorsFile reference, CausalLM model, string name)
    {
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var g in Names)
        {
            using var expected = reference.Load($"{name}.grad.{g}");
            AllClose.EqualAtScale(expected, parameters[g].grad!, 1e-4, 1e-4, $"{name}: gradient of {g}");
        }
    }
}
