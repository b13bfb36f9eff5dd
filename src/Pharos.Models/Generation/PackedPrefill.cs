// Whether several fresh prompts may be prefilled in one pass (CausalLM.PrefillPacked) without changing any request's
// output. Attention and the cache go prompt by prompt, so the only shared arithmetic is the layers' matmuls over the
// packed tokens: the pass is exact where libtorch's GEMM gives each row the same bits whatever rows are computed with
// it. oneDNN's bf16 GEMM does on the CPU measured (the ~110M Llama's shapes: every row count of 17–255 with the rows
// first, in the middle or last, and 13 counts up to 1,000), but no library promises it. So it is checked here, once
// per model, on the model's own weight shapes at a sample of row counts from 17 (fewer rows take Pharos's own decoding
// matmul, computed otherwise) to MaxTokens; where it fails, nothing is packed.
// Why pack at all: a prompt prefilled alone costs ~25 ms before its length counts (a pass over every weight plus ~200
// small ops), and batch generation (eval, translate) and serving admit many prompts at once.
using System.Runtime.CompilerServices;
using Pharos.Models.Transformer;
using static TorchSharp.torch;

namespace Pharos.Models.Generation;

public static class PackedPrefill
{
    /// <summary>Most tokens in one packed pass: the checked row counts.</summary>
    public const int MaxTokens = 256;

    /// <summary>Most prompts in one packed pass: their last positions' logits go through Pharos's decoding matmul, as
    /// a prompt's alone does, only up to its row limit.</summary>
    public const int MaxPrompts = Kernels.SmallBatchMatmul.MaxRows;

    /// <summary>Shortest prompt that is packed: shorter ones run their matmuls through Pharos's decoding matmul alone.</summary>
    public const int MinPromptTokens = Kernels.SmallBatchMatmul.MaxRows + 1;

    /// <summary>False turns packing off (for comparisons; PHAROS_PACKED_PREFILL=off sets it at start).</summary>
    public static bool Enabled { get; set; } = Kernels.KernelEnvironment.On(Kernels.KernelEnvironment.PackedPrefill);

    static readonly ConditionalWeakTable<CausalLM, object> checkedModels = new();

    /// <summary>Packing is on, the model runs bf16 on the CPU without adapters, and its GEMMs passed the row check.</summary>
    public static bool Usable(CausalLM model)
    {
        if (!Enabled || model.ComputeDType != ScalarType.BFloat16 || model.Device.type != TorchSharp.DeviceType.CPU) return false;
        var linears = Linears(model).ToArray();
        if (linears.Any(l => l.Adapter is not null || l.weight.dtype != ScalarType.BFloat16)) return false;
        return (bool)checkedModels.GetValue(model, _ => RowsIndependent(linears.Where(l => l != model.lm_head).Select(l => l.weight)));
    }

    static IEnumerable<Linear> Linears(CausalLM model)
    {
        foreach (var layer in model.model.layers)
        {
            var (attention, mlp) = (layer.self_attn, layer.mlp);
            foreach (var l in new[] { attention.q_proj, attention.k_proj, attention.v_proj, attention.o_proj, mlp.gate_proj, mlp.up_proj, mlp.down_proj })
                yield return l;
        }
        if (model.lm_head is not null) yield return model.lm_head;
    }

    /// <summary>Row counts the check tries: the smallest, both sides of each power of two (where GEMM blocking changes)
    /// and odd counts between, up to MaxTokens − 1. Every count of 17–255 passed on the CPU measured; trying them all
    /// would cost seconds for the ~110M Llama and minutes for a 7B model, this sample about 0.3 s and a few seconds.</summary>
    static readonly int[] CheckedRows = [17, 23, 31, 32, 33, 47, 63, 64, 65, 100, 127, 128, 129, 200, 255];

    /// <summary>For each distinct weight shape of the layers and each of <see cref="CheckedRows"/> m: the first, middle
    /// and last m rows of a MaxTokens-row product equal the product of those rows alone, bit for bit (the output
    /// projection is left out: only each prompt's last position reaches it, through Pharos's own matmul).</summary>
    internal static bool RowsIndependent(IEnumerable<Tensor> weights)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var generator = new TorchSharp.torch.Generator(17);
        foreach (var weight in weights.GroupBy(w => (w.shape[0], w.shape[1])).Select(g => g.First()))
        {
            var x = randn([MaxTokens, weight.shape[1]], generator: generator).to(ScalarType.BFloat16);
            var all = nn.functional.linear(x, weight);
            foreach (int m in CheckedRows)
            {
                using var inner = NewDisposeScope();
                foreach (int start in new[] { 0, (MaxTokens - m) / 2, MaxTokens - m })
                    if (!nn.functional.linear(x.narrow(0, start, m), weight).eq(all.narrow(0, start, m)).all().item<bool>())
                        return false;
            }
        }
        return true;
    }
}
