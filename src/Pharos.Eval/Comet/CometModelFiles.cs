// Where a COMET model's pieces are: hparams.yaml and the weights in the model folder, and the XLM-R encoder's
// tokenizer/config, which Unbabel's folders leave out (COMET fetches them by the hparams' pretrained_model name).
using Pharos.Eval.Comet.XlmRoberta;
using Pharos.Models.Errors;

namespace Pharos.Eval.Comet;

public sealed record CometModelFiles(string Folder, string Hparams, string Weights, string EncoderFolder, string? EncoderConfig)
{
    public const string LightningCheckpoint = "checkpoints/model.ckpt";
    public const string SafetensorsExport = "model.safetensors";

    /// <summary>
    /// Accepts the model folder (hparams.yaml + checkpoints/model.ckpt or model.safetensors) or the .ckpt path itself.
    /// The encoder files are looked for in <paramref name="encoderFolder"/> when given, else in the model folder, in the
    /// Hugging Face cache under the pretrained_model name ($HF_HUB_CACHE, $HF_HOME/hub, ~/.cache/huggingface/hub, where
    /// COMET's own runs leave them), or at pretrained_model read as a path.
    /// </summary>
    public static CometModelFiles Resolve(string path, string pretrainedModel, string? encoderFolder = null, IReadOnlyList<string>? hubCaches = null)
    {
        var (folder, weights) = WeightsOf(path);
        var hparams = Path.Combine(folder, "hparams.yaml");
        var encoder = encoderFolder ?? FindEncoder(folder, pretrainedModel, hubCaches ?? HubCaches().ToList())
            ?? throw new InvalidModelException(
                $"{folder}: the encoder's tokenizer for '{pretrainedModel}' was not found: put its tokenizer.json or sentencepiece.bpe.model " +
                $"(and config.json) in the model folder, pass --comet-encoder DIR, or have it in the Hugging Face cache (models--{pretrainedModel.Replace("/", "--")})");
        if (!XlmRobertaTokenizer.IsIn(encoder))
            throw new InvalidModelException($"{encoder}: no tokenizer.json or sentencepiece.bpe.model for the XLM-R encoder");
        var config = Path.Combine(encoder, "config.json");
        return new CometModelFiles(folder, hparams, weights, encoder, File.Exists(config) ? config : null);
    }

    /// <summary>The hparams.yaml of a model folder or of a .ckpt path (two levels up, as COMET looks for it).</summary>
    public static string HparamsOf(string path) => Path.Combine(WeightsOf(path).Folder, "hparams.yaml");

    static (string Folder, string Weights) WeightsOf(string path)
    {
        if (File.Exists(path))
        {
            var full = Path.GetFullPath(path);
            var parent = Path.GetDirectoryName(full)!;
            var folder = Path.GetFileName(parent) == "checkpoints" ? Path.GetDirectoryName(parent)! : parent;
            return (folder, full);
        }
        if (!Directory.Exists(path))
            throw new InvalidModelException($"{path}: COMET model folder does not exist");
        var safetensors = Path.Combine(path, SafetensorsExport);
        if (File.Exists(safetensors)) return (path, safetensors);
        var ckpt = Path.Combine(path, LightningCheckpoint);
        if (File.Exists(ckpt)) return (path, ckpt);
        throw new InvalidModelException($"{path}: neither {LightningCheckpoint} nor {SafetensorsExport} is there");
    }

    static string? FindEncoder(string folder, string pretrainedModel, IReadOnlyList<string> hubCaches)
    {
        if (XlmRobertaTokenizer.IsIn(folder)) return folder;
        foreach (var cache in hubCaches)
        {
            var repo = Path.Combine(cache, "models--" + pretrainedModel.Replace("/", "--"));
            var snapshots = Path.Combine(repo, "snapshots");
            if (!Directory.Exists(snapshots)) continue;
            var main = Path.Combine(repo, "refs", "main");
            if (File.Exists(main))
            {
                var pinned = Path.Combine(snapshots, File.ReadAllText(main).Trim());
                if (XlmRobertaTokenizer.IsIn(pinned)) return pinned;
            }
            var any = Directory.GetDirectories(snapshots).Order(StringComparer.Ordinal).FirstOrDefault(XlmRobertaTokenizer.IsIn);
            if (any is not null) return any;
        }
        var asPath = Path.IsPathRooted(pretrainedModel) ? pretrainedModel : Path.Combine(folder, pretrainedModel);
        return Directory.Exists(asPath) && XlmRobertaTokenizer.IsIn(asPath) ? asPath : null;
    }

    static IEnumerable<string> HubCaches()
    {
        if (Environment.GetEnvironmentVariable("HF_HUB_CACHE") is { Length: > 0 } hub) yield return hub;
        if (Environment.GetEnvironmentVariable("HF_HOME") is { Length: > 0 } home) yield return Path.Combine(home, "hub");
        var user = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (user.Length > 0) yield return Path.Combine(user, ".cache", "huggingface", "hub");
    }
}
