// Opens the tokenizer of a model folder for training through Pharos.Models' HfTokenizer (every tokenizer.json kind,
// chat templates in Jinja), and copies tokenizer files next to saved models.
using Pharos.Models.Errors;
using Pharos.Models.Tokenization;
using Pharos.Training.Datasets;

namespace Pharos.Training.Tokenizer;

public static class TokenizerLoader
{
    public static ITextTokenizer Load(string folder)
    {
        if (!File.Exists(Path.Combine(folder, "tokenizer.json")))
            throw new PharosException($"{folder}: no tokenizer.json (set model.tokenizer to a folder that has one)");
        return new HfTextTokenizer(HfTokenizer.Load(folder)) { Folder = Path.GetFullPath(folder) };
    }

    /// <summary>Copies the tokenizer files next to a saved model so the folder is complete for transformers.</summary>
    public static void CopyFiles(string from, string to)
    {
        foreach (var name in new[] { "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "tokenizer.model", "chat_template.jinja", "generation_config.json" })
        {
            var source = Path.Combine(from, name);
            if (File.Exists(source)) File.Copy(source, Path.Combine(to, name), overwrite: true);
        }
    }
}
