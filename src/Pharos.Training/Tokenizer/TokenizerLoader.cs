// Opens the tokenizer of a model folder for training: byte-level BPE files (ours, GPT-2/Qwen style) directly; other
// tokenizer.json kinds need the HF tokenizer loader.
using Pharos.Models.Errors;
using Pharos.Training.Datasets;

namespace Pharos.Training.Tokenizer;

public static class TokenizerLoader
{
    public static ITextTokenizer Load(string folder)
    {
        if (!File.Exists(Path.Combine(folder, "tokenizer.json")))
            throw new PharosException($"{folder}: no tokenizer.json (set model.tokenizer to a folder that has one)");
        return ByteLevelBpeTokenizer.Load(folder);
    }

    /// <summary>Copies the tokenizer files next to a saved model so the folder is complete for transformers.</summary>
    public static void CopyFiles(string from, string to)
    {
        foreach (var name in new[] { "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "tokenizer.model", "generation_config.json" })
        {
            var source = Path.Combine(from, name);
            if (File.Exists(source)) File.Copy(source, Path.Combine(to, name), overwrite: true);
        }
    }
}
