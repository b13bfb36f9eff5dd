// A scope in which every LoRA adapter of a model is switched off, so the model computes its frozen base: the DPO/GRPO
// reference without keeping a second copy of the weights in memory.
using Pharos.Models.Transformer;

namespace Pharos.Training.Adapters;

public sealed class AdaptersDisabled : IDisposable
{
    readonly List<LoraAdapter> adapters;

    public AdaptersDisabled(CausalLM model)
    {
        adapters = Lora.Find(model).Select(a => a.Adapter).Where(a => a.Enabled).ToList();
        foreach (var a in adapters) a.Enabled = false;
    }

    public static bool HasAdapters(CausalLM model) => Lora.Find(model).Any();

    public void Dispose()
    {
        foreach (var a in adapters) a.Enabled = true;
    }
}
