// How a training stage uses floating point, decided once per stage from train.precision: the dtype matmuls and activations
// compute in, the dtype of the master weights (the trainable parameters that AdamW updates, with their gradients and
// moments), and the dtype frozen weights are kept in. "bf16" is mixed precision as PyTorch's autocast with float32 master
// weights does it: bf16 matmuls and activations; float32 trainable weights, so gradients arrive, accumulate over
// micro-batches and are summed over ranks in float32, and AdamW updates float32; norms, softmax and the loss in float32
// (the model computes those in float32 whatever the activation dtype). Frozen weights (a LoRA base, the DPO/GRPO reference)
// are stored in the compute dtype, so they are never cast during a step.
using Pharos.Models;
using Pharos.Models.Errors;
using Pharos.Models.Transformer;
using static TorchSharp.torch;

namespace Pharos.Training.Precision;

public sealed record PrecisionPolicy(string Name, ScalarType Compute, ScalarType Master)
{
    public static readonly PrecisionPolicy Float32 = new("fp32", float32, float32);
    public static readonly PrecisionPolicy Bfloat16 = new("bf16", bfloat16, float32);

    /// <summary>The names train.precision accepts.</summary>
    public static readonly string[] Settings = ["auto", "bf16", "bfloat16", "fp32", "float32"];

    /// <summary>train.precision → policy; "auto" is bf16 where the hardware computes bf16 natively (CUDA; CPUs with
    /// AVX512-BF16 or AMX, the same test as the inference dtype's default), else fp32.</summary>
    public static PrecisionPolicy Resolve(string setting, Device device) => setting.ToLowerInvariant() switch
    {
        "auto" => DTypes.InferenceDefault(device) == bfloat16 ? Bfloat16 : Float32,
        "bf16" or "bfloat16" => Bfloat16,
        "fp32" or "float32" => Float32,
        _ => throw new PharosException($"train.precision: unknown '{setting}' (use {string.Join(", ", Settings)})"),
    };

    public bool IsMixed => Compute != Master;

    /// <summary>What a checkpoint records: the policy's name, or without one the model's own dtype ("fp32" for float32).</summary>
    public static string NameOf(PrecisionPolicy? policy, CausalLM model) =>
        policy?.Name ?? (model.DType == float32 ? Float32.Name : DTypes.ToConfigName(model.DType));

    /// <summary>The dtype to build or load the model in: the master dtype when its weights train (full fine-tuning), else
    /// (a frozen base under adapters) the compute dtype — or the requested dtype when that is already narrower
    /// (model.dtype: bfloat16 keeps a large frozen base in bf16 whatever the compute dtype).</summary>
    public ScalarType ModelDType(ScalarType requested, bool trainsBase) =>
        trainsBase ? Master : requested == float32 ? Compute : requested;

    /// <summary>Puts a built model (adapters attached, base frozen or not) under the policy: activations in the compute
    /// dtype. Trainable parameters must already be in the master dtype (adapter factors are created float32).</summary>
    public void Apply(CausalLM model)
    {
        foreach (var (name, p) in model.named_parameters())
            if (p.requires_grad && p.dtype != Master)
                throw new PharosException($"{name} is trainable but {p.dtype}; precision {Name} keeps trainable weights in {Master}");
        model.ComputeDType = Compute;
    }
}
