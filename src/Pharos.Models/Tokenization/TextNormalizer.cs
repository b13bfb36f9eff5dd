// tokenizer.json's "normalizer": Unicode forms, Replace, Prepend, Lowercase, Strip and Sequence of them.
using System.Text;
using System.Text.RegularExpressions;

namespace Pharos.Models.Tokenization;

internal sealed class TextNormalizer
{
    readonly Func<string, string> _apply;

    TextNormalizer(Func<string, string> apply) => _apply = apply;

    public static readonly TextNormalizer None = new(s => s);

    public string Normalize(string text) => text.Length == 0 ? text : _apply(text);

    public static TextNormalizer From(JsonField? field) => field is null ? None : new TextNormalizer(Build(field.Value));

    static Func<string, string> Build(JsonField f)
    {
        var type = f.Required("type").String();
        switch (type)
        {
            case "Sequence":
                var steps = f.Required("normalizers").Items().Select(Build).ToArray();
                return s =>
                {
                    foreach (var step in steps)
                        s = step(s);
                    return s;
                };
            case "NFC": return s => s.Normalize(NormalizationForm.FormC);
            case "NFD": return s => s.Normalize(NormalizationForm.FormD);
            case "NFKC": return s => s.Normalize(NormalizationForm.FormKC);
            case "NFKD": return s => s.Normalize(NormalizationForm.FormKD);
            case "Lowercase": return s => s.ToLowerInvariant();
            case "Prepend":
                var prefix = f.Required("prepend").String();
                return s => prefix + s;
            case "Replace":
                var content = f.Required("content").String();
                var pattern = f.Required("pattern");
                if (pattern.Optional("String") is { } literal)
                {
                    var from = literal.String();
                    return s => s.Replace(from, content, StringComparison.Ordinal);
                }
                var regex = new Regex(pattern.Required("Regex").String(), RegexOptions.CultureInvariant);
                return s => regex.Replace(s, content);
            case "Strip":
                var left = f.OptionalBool("strip_left", true);
                var right = f.OptionalBool("strip_right", true);
                return s => left && right ? s.Trim() : left ? s.TrimStart() : right ? s.TrimEnd() : s;
            default:
                throw f.Required("type").Error($"normalizer type '{type}' is not supported (supported: Sequence, NFC, NFD, NFKC, NFKD, Lowercase, Prepend, Replace, Strip)");
        }
    }
}
