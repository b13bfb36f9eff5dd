// What cached reference log-probs depend on besides the tokens: a SHA-256 of the reference's weights and config, so a
// ref_logps.json made with another reference (another ref_model, base model or dtype) is recomputed, never reused.
using System.Security.Cryptography;
using System.Text;
using Pharos.Models.Transformer;
using static TorchSharp.torch;

namespace Pharos.Training.Objectives.Dpo;

public static class ReferenceFingerprint
{
    /// <summary>The policy with its adapters switched off: its config and every frozen parameter's name, dtype, shape and
    /// bytes (the adapters are the only trainable parameters, and are off in the reference).</summary>
    public static string OfFrozenBase(CausalLM policy)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Append(sha, $"adapters-off;config={policy.Config.Raw.ToJsonString()};");
        foreach (var (name, p) in policy.named_parameters().Where(p => !p.parameter.requires_grad))
        {
            using var bytes = p.detach().cpu().contiguous();
            Append(sha, $"{name}:{bytes.dtype}:{string.Join("x", bytes.shape)};");
            sha.AppendData(bytes.bytes);
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <summary>A model folder as it would be loaded, without loading it: the dtype, config.json and the bytes of every
    /// .safetensors file (read as a stream, so a 16 GB checkpoint costs I/O but no memory).</summary>
    public static string OfFolder(string folder, ScalarType dtype)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Append(sha, $"folder;dtype={dtype};");
        var files = Directory.GetFiles(folder, "*.safetensors").Order(StringComparer.Ordinal).Prepend(Path.Combine(folder, "config.json"));
        var buffer = new byte[1 << 20];
        foreach (var file in files)
        {
            Append(sha, Path.GetFileName(file) + ";");
            using var stream = File.OpenRead(file);
            for (int n; (n = stream.Read(buffer)) > 0;) sha.AppendData(buffer, 0, n);
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    static void Append(IncrementalHash sha, string text) => sha.AppendData(Encoding.UTF8.GetBytes(text));
}
