// The registry of supported families, looked up by the `architectures` entry of config.json.
using Pharos.Models.Errors;

namespace Pharos.Models.Families;

public static class ModelFamilies
{
    public static IReadOnlyList<ModelFamily> All { get; } = [Llama.Family, Qwen2.Family, Gemma2.Family];

    public static ModelFamily ForArchitecture(string architecture, string path = "config.json") =>
        All.FirstOrDefault(f => f.Architecture == architecture)
        ?? throw new InvalidModelException(
            $"{path}: architecture '{architecture}' is not supported (supported: {string.Join(", ", All.Select(f => f.Architecture))})");

    public static ModelFamily ForModelType(string modelType) =>
        All.FirstOrDefault(f => f.ModelType == modelType)
        ?? throw new PharosException($"unknown model family '{modelType}' (known: {string.Join(", ", All.Select(f => f.ModelType))})");
}
