// Initialises a freshly built model the way transformers' _init_weights does: normal(0, std) for projections
// and embeddings, zero biases, norms at identity (1, or 0 for Gemma's (1 + w) norms). Seeded for reproducibility.
using static TorchSharp.torch;

namespace Pharos.Models.Transformer;

public static class WeightInit
{
    public static void Normal(CausalLM model, long seed, double std = 0.02)
    {
        using var noGrad = no_grad();
        var rng = new TorchSharp.torch.Generator((ulong)seed, model.Device);
        foreach (var (name, module) in model.named_modules())
        {
            switch (module)
            {
                case Linear linear:
                    linear.weight.normal_(0, std, rng);
                    linear.bias?.zero_();
                    break;
                case Embedding embedding:
                    embedding.weight.normal_(0, std, rng);
                    break;
                case RmsNorm norm:
                    if (norm.AddsOne) norm.weight.zero_(); else norm.weight.fill_(1.0);
                    break;
            }
        }
    }
}
