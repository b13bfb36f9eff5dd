// The MLP activations the supported families name in config.json (hidden_act / hidden_activation).
using Pharos.Models.Errors;
using static TorchSharp.torch;

namespace Pharos.Models.Transformer;

public static class ActivationFunctions
{
    static readonly string[] Known = ["silu", "swish", "gelu_pytorch_tanh", "gelu_new", "gelu", "relu"];

    public static void Validate(string name, string path)
    {
        if (!Known.Contains(name))
            throw new InvalidModelException($"{path}: activation '{name}' is not supported (supported: {string.Join(", ", Known)})");
    }

    public static Tensor Apply(string name, Tensor x) => name switch
    {
        "silu" or "swish" => nn.functional.silu(x),
        "gelu_pytorch_tanh" or "gelu_new" => nn.functional.gelu(x, TorchSharp.Modules.GELU.Approximate.tanh),
        "gelu" => nn.functional.gelu(x),
        "relu" => nn.functional.relu(x),
        _ => throw new InvalidModelException($"activation '{name}' is not supported"),
    };
}
