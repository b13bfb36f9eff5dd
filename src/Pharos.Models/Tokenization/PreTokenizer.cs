// tokenizer.json's "pre_tokenizer": splits normalized text into the pieces the model encodes one by one.
namespace Pharos.Models.Tokenization;

/// <summary>
/// Supports the steps real LLM tokenizers use: Split (regex or string, every split behaviour), ByteLevel (prefix space
/// and GPT-2's regex; the byte mapping itself is done by the model), Metaspace, Digits, Whitespace, WhitespaceSplit and Sequence.
/// </summary>
internal abstract class PreTokenizer
{
    /// <summary>GPT-2's split pattern, used by ByteLevel when use_regex is true.</summary>
    internal const string Gpt2Pattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    /// <summary>Refines <paramref name="pieces"/> in place; <paramref name="firstSegment"/> is true for the text's first segment.</summary>
    public abstract void Apply(List<string> pieces, bool firstSegment);

    public static PreTokenizer? From(JsonField? field) => field is null ? null : Build(field.Value);

    static PreTokenizer Build(JsonField f)
    {
        var type = f.Required("type").String();
        return type switch
        {
            "Sequence" => new SequenceStep(f.Required("pretokenizers").Items().Select(Build).ToArray()),
            "Split" => SplitStep.From(f),
            "ByteLevel" => new ByteLevelStep(f.OptionalBool("add_prefix_space", false), f.OptionalBool("use_regex", true)),
            "Metaspace" => new MetaspaceStep(
                f.OptionalString("replacement") ?? "\u2581",
                f.OptionalString("prepend_scheme") ?? (f.OptionalBool("add_prefix_space", true) ? "always" : "never"),
                f.OptionalBool("split", true)),
            "Digits" => new SplitStep(new CodePointRegex(f.OptionalBool("individual_digits", false) ? @"\p{N}" : @"\p{N}+"), null, SplitBehavior.Isolated, false),
            "Whitespace" => new SplitStep(new CodePointRegex(@"\w+|[^\w\s]+"), null, SplitBehavior.Removed, true),
            "WhitespaceSplit" => new SplitStep(new CodePointRegex(@"\s+"), null, SplitBehavior.Removed, false),
            _ => throw f.Required("type").Error($"pre-tokenizer type '{type}' is not supported (supported: Sequence, Split, ByteLevel, Metaspace, Digits, Whitespace, WhitespaceSplit)"),
        };
    }

    sealed class SequenceStep(PreTokenizer[] steps) : PreTokenizer
    {
        public override void Apply(List<string> pieces, bool firstSegment)
        {
            foreach (var step in steps)
                step.Apply(pieces, firstSegment);
        }
    }

    internal enum SplitBehavior { Removed, Isolated, MergedWithPrevious, MergedWithNext, Contiguous }

    internal sealed class SplitStep(CodePointRegex? regex, string? literal, SplitBehavior behavior, bool invert) : PreTokenizer
    {
        public static SplitStep From(JsonField f)
        {
            var pattern = f.Required("pattern");
            var behaviorName = f.Required("behavior").String();
            if (!Enum.TryParse<SplitBehavior>(behaviorName, out var behavior))
                throw f.Required("behavior").Error($"unknown split behavior '{behaviorName}'");
            var invert = f.OptionalBool("invert", false);
            if (pattern.Optional("String") is { } s)
                return new SplitStep(null, s.String(), behavior, invert);
            return new SplitStep(new CodePointRegex(pattern.Required("Regex").String()), null, behavior, invert);
        }

        public override void Apply(List<string> pieces, bool firstSegment)
        {
            var result = new List<string>(pieces.Count * 2);
            foreach (var piece in pieces)
                SplitOne(piece, result);
            pieces.Clear();
            pieces.AddRange(result);
        }

        void SplitOne(string text, List<string> output)
        {
            var matches = new List<(int Start, int Length)>();
            if (regex is not null)
                regex.Matches(text, matches);
            else if (literal!.Length > 0)
                for (var at = text.IndexOf(literal, StringComparison.Ordinal); at >= 0; at = text.IndexOf(literal, at + literal.Length, StringComparison.Ordinal))
                    matches.Add((at, literal.Length));

            // Segments alternate between gaps and matches; invert swaps which of them count as "the delimiter".
            var segments = new List<(int Start, int End, bool IsDelimiter)>();
            var pos = 0;
            foreach (var (start, length) in matches)
            {
                if (start > pos)
                    segments.Add((pos, start, invert));
                segments.Add((start, start + length, !invert));
                pos = start + length;
            }
            if (pos < text.Length)
                segments.Add((pos, text.Length, invert));

            switch (behavior)
            {
                case SplitBehavior.Isolated:
                    foreach (var s in segments)
                        output.Add(text[s.Start..s.End]);
                    break;
                case SplitBehavior.Removed:
                    foreach (var s in segments)
                        if (!s.IsDelimiter)
                            output.Add(text[s.Start..s.End]);
                    break;
                case SplitBehavior.MergedWithPrevious:
                {
                    var start = -1;
                    foreach (var s in segments)
                    {
                        if (s.IsDelimiter)
                        {
                            output.Add(text[(start < 0 ? s.Start : start)..s.End]);
                            start = -1;
                        }
                        else
                        {
                            if (start >= 0)
                                output.Add(text[start..s.Start]);
                            start = s.Start;
                        }
                    }
                    if (start >= 0)
                        output.Add(text[start..]);
                    break;
                }
                case SplitBehavior.MergedWithNext:
                {
                    var start = -1;
                    foreach (var s in segments)
                    {
                        if (s.IsDelimiter)
                        {
                            if (start >= 0)
                                output.Add(text[start..s.Start]);
                            start = s.Start;
                        }
                        else
                        {
                            output.Add(text[(start < 0 ? s.Start : start)..s.End]);
                            start = -1;
                        }
                    }
                    if (start >= 0)
                        output.Add(text[start..]);
                    break;
                }
                case SplitBehavior.Contiguous:
                {
                    var start = -1;
                    foreach (var s in segments)
                    {
                        if (s.IsDelimiter)
                        {
                            if (start < 0)
                                start = s.Start;
                        }
                        else
                        {
                            if (start >= 0)
                                output.Add(text[start..s.Start]);
                            start = -1;
                            output.Add(text[s.Start..s.End]);
                        }
                    }
                    if (start >= 0)
                        output.Add(text[start..]);
                    break;
                }
            }
        }
    }

    sealed class ByteLevelStep(bool addPrefixSpace, bool useRegex) : PreTokenizer
    {
        readonly SplitStep? _split = useRegex ? new SplitStep(new CodePointRegex(Gpt2Pattern), null, SplitBehavior.Isolated, false) : null;

        public override void Apply(List<string> pieces, bool firstSegment)
        {
            if (addPrefixSpace)
                for (var i = 0; i < pieces.Count; i++)
                    if (!pieces[i].StartsWith(' '))
                        pieces[i] = " " + pieces[i];
            _split?.Apply(pieces, firstSegment);
        }
    }

    sealed class MetaspaceStep(string replacement, string prependScheme, bool split) : PreTokenizer
    {
        readonly SplitStep? _split = split ? new SplitStep(null, replacement, SplitBehavior.MergedWithNext, false) : null;

        public override void Apply(List<string> pieces, bool firstSegment)
        {
            for (var i = 0; i < pieces.Count; i++)
            {
                var p = pieces[i].Replace(" ", replacement, StringComparison.Ordinal);
                var prepend = prependScheme == "always" || (prependScheme == "first" && firstSegment && i == 0);
                if (prepend && !p.StartsWith(replacement, StringComparison.Ordinal))
                    p = replacement + p;
                pieces[i] = p;
            }
            _split?.Apply(pieces, firstSegment);
        }
    }
}
