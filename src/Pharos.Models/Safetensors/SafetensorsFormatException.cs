// A safetensors file, index or shard that is malformed or inconsistent; the message names the file and the tensor or field.
using Pharos.Models.Errors;

namespace Pharos.Models.Safetensors;

public sealed class SafetensorsFormatException : PharosException
{
    public SafetensorsFormatException(string file, string? tensor, string problem, Exception? inner = null)
        : base(Format(file, tensor, problem), inner!)
    {
        File = file;
        Tensor = tensor;
    }

    /// <summary>The file at fault (a .safetensors file or an index.json).</summary>
    public string File { get; }

    /// <summary>The tensor (or header key) at fault, when the problem is about one.</summary>
    public string? Tensor { get; }

    static string Format(string file, string? tensor, string problem) =>
        tensor is null ? $"{file}: {problem}" : $"{file}: tensor \"{tensor}\": {problem}";
}
