// datatrove's word-tokenizer assignment (embedded data): which tokenizer and proxy language a label such as deu_Latn, deu or de gets.
namespace Pharos.Curation.Text;

/// <summary>A tokenizer as datatrove names it: the class (SpaCyTokenizer, IndicNLPTokenizer, …) and its language argument.</summary>
public readonly record struct AssignedTokenizer(string Type, string Code);

public static class TokenizerAssignment
{
    const string Resource = "Pharos.Curation.Languages.Datatrove.tokenizer_assignment.tsv";
    static readonly Lazy<(IReadOnlyDictionary<string, AssignedTokenizer> Tokenizers, IReadOnlyDictionary<string, string> Labels)> Data = new(Load);

    /// <summary>The tokenizer datatrove's load_word_tokenizer would build for <paramref name="label"/>, or null when it has none.</summary>
    public static AssignedTokenizer? For(string label) => Data.Value.Tokenizers.TryGetValue(label, out var t) ? t : null;

    public static IReadOnlyDictionary<string, AssignedTokenizer> All => Data.Value.Tokenizers;

    /// <summary>A bare code (<c>deu</c>, <c>de</c>) → the full label of its default script (<c>deu_Latn</c>), as datatrove's rows mark it.</summary>
    public static string? FullLabel(string code) => Data.Value.Labels.GetValueOrDefault(code);

    // The keys follow datatrove's load_tokenizer_assignments: "code3_Script" for every row (first row wins) and "code3"
    // (last such row wins), "code1_Script" / "code1" likewise; tested against the keys datatrove's own code builds.
    static (IReadOnlyDictionary<string, AssignedTokenizer>, IReadOnlyDictionary<string, string>) Load()
    {
        using var stream = typeof(TokenizerAssignment).Assembly.GetManifestResourceStream(Resource)
            ?? throw new InvalidOperationException($"missing embedded resource {Resource}");
        using var reader = new StreamReader(stream);
        var header = reader.ReadLine()!.Split('\t');
        int Column(string name) => Array.IndexOf(header, name);
        int code3 = Column("code_3"), code1 = Column("code_1"), script = Column("script"), type = Column("type"), tokCode = Column("tok_code"),
            defaultScript = Column("default_script"), defaultCode1 = Column("default_code_1");
        var map = new Dictionary<string, AssignedTokenizer>(StringComparer.Ordinal);
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { Length: > 0 } line)
        {
            var f = line.Split('\t');
            var full = $"{f[code3]}_{f[script]}";
            if (f[defaultScript] == "TRUE")
            {
                labels.TryAdd(f[code3], full);
                if (f[code1].Length > 0 && f[defaultCode1] == "TRUE")
                    labels.TryAdd(f[code1], full);
            }
            if (f[type].Length == 0)
                continue;
            var tokenizer = new AssignedTokenizer(f[type], f[tokCode]);
            // datatrove tests the flags as Python strings, so "FALSE" counts as set: any non-empty flag passes.
            var isDefaultScript = f[defaultScript].Length > 0;
            if (map.TryAdd(full, tokenizer) && isDefaultScript)
                map[f[code3]] = tokenizer;
            if (f[code1].Length > 0 && f[defaultCode1].Length > 0 && map.TryAdd($"{f[code1]}_{f[script]}", tokenizer) && isDefaultScript)
                map[f[code1]] = tokenizer;
        }
        return (map, labels);
    }
}
