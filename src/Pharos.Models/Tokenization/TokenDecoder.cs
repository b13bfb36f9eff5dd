// tokenizer.json's "decoder": turns token strings back into text (ByteLevel, Replace, ByteFallback, Fuse, Strip, Metaspace, Sequence).
using System.Globalization;
using System.Text;

namespace Pharos.Models.Tokenization;

/// <summary>Each step maps a list of token strings to a new list, as in Hugging Face's decode_chain; the result is their concatenation.</summary>
internal abstract class TokenDecoder
{
    public abstract List<string> DecodeChain(List<string> tokens);

    public string Decode(List<string> tokens) => string.Concat(DecodeChain(tokens));

    /// <summary>Without a decoder Hugging Face joins the tokens with spaces.</summary>
    public static TokenDecoder From(JsonField? field) => field is null ? new JoinWithSpaces() : Build(field.Value);

    static TokenDecoder Build(JsonField f)
    {
        var type = f.Required("type").String();
        return type switch
        {
            "Sequence" => new SequenceStep(f.Required("decoders").Items().Select(Build).ToArray()),
            "ByteLevel" => new ByteLevelStep(),
            "ByteFallback" => new ByteFallbackStep(),
            "Fuse" => new FuseStep(),
            "Replace" => new ReplaceStep(
                f.Required("pattern").Optional("String")?.String() ?? throw f.Required("pattern").Error("only String patterns are supported in a Replace decoder"),
                f.Required("content").String()),
            "Strip" => new StripStep(f.Required("content").String(), f.OptionalInt("start") ?? 0, f.OptionalInt("stop") ?? 0),
            "Metaspace" => new MetaspaceStep(
                f.OptionalString("replacement") ?? "\u2581",
                (f.OptionalString("prepend_scheme") ?? (f.OptionalBool("add_prefix_space", true) ? "always" : "never")) != "never"),
            _ => throw f.Required("type").Error($"decoder type '{type}' is not supported (supported: Sequence, ByteLevel, ByteFallback, Fuse, Replace, Strip, Metaspace)"),
        };
    }

    sealed class JoinWithSpaces : TokenDecoder
    {
        public override List<string> DecodeChain(List<string> tokens) => [string.Join(' ', tokens)];
    }

    sealed class SequenceStep(TokenDecoder[] steps) : TokenDecoder
    {
        public override List<string> DecodeChain(List<string> tokens)
        {
            foreach (var step in steps)
                tokens = step.DecodeChain(tokens);
            return tokens;
        }
    }

    /// <summary>Maps table characters back to bytes (a token with a character outside the table contributes its own UTF-8), then decodes the bytes lossily.</summary>
    sealed class ByteLevelStep : TokenDecoder
    {
        public override List<string> DecodeChain(List<string> tokens)
        {
            var bytes = new List<byte>();
            foreach (var token in tokens)
            {
                var mark = bytes.Count;
                var ok = true;
                foreach (var c in token)
                {
                    var b = c < ByteLevelAlphabet.CharToByte.Length ? ByteLevelAlphabet.CharToByte[c] : (short)-1;
                    if (b < 0)
                    {
                        ok = false;
                        break;
                    }
                    bytes.Add((byte)b);
                }
                if (!ok)
                {
                    bytes.RemoveRange(mark, bytes.Count - mark);
                    bytes.AddRange(Encoding.UTF8.GetBytes(token));
                }
            }
            return [Encoding.UTF8.GetString(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(bytes))];
        }
    }

    /// <summary>Runs of &lt;0xNN&gt; tokens become their UTF-8 text, or one U+FFFD per byte when the run is not valid UTF-8.</summary>
    sealed class ByteFallbackStep : TokenDecoder
    {
        static readonly UTF8Encoding Strict = new(false, true);

        public override List<string> DecodeChain(List<string> tokens)
        {
            var result = new List<string>(tokens.Count);
            var pending = new List<byte>();
            void Flush()
            {
                if (pending.Count == 0)
                    return;
                try
                {
                    result.Add(Strict.GetString(pending.ToArray()));
                }
                catch (DecoderFallbackException)
                {
                    for (var i = 0; i < pending.Count; i++)
                        result.Add("\uFFFD");
                }
                pending.Clear();
            }
            foreach (var token in tokens)
            {
                if (token.Length == 6 && token.StartsWith("<0x", StringComparison.Ordinal) && token[5] == '>' &&
                    byte.TryParse(token.AsSpan(3, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var b))
                {
                    pending.Add(b);
                    continue;
                }
                Flush();
                result.Add(token);
            }
            Flush();
            return result;
        }
    }

    sealed class FuseStep : TokenDecoder
    {
        public override List<string> DecodeChain(List<string> tokens) => [string.Concat(tokens)];
    }

    sealed class ReplaceStep(string pattern, string content) : TokenDecoder
    {
        public override List<string> DecodeChain(List<string> tokens) =>
            tokens.Select(t => t.Replace(pattern, content, StringComparison.Ordinal)).ToList();
    }

    /// <summary>Removes up to <c>start</c> leading and <c>stop</c> trailing copies of a character from each token.</summary>
    sealed class StripStep(string content, int start, int stop) : TokenDecoder
    {
        public override List<string> DecodeChain(List<string> tokens) => tokens.Select(Strip).ToList();

        string Strip(string token)
        {
            var c = content.Length == 1 ? content[0] : '\0';
            var from = 0;
            while (from < start && from < token.Length && token[from] == c)
                from++;
            var to = token.Length;
            while (token.Length - to < stop && to > from && token[to - 1] == c)
                to--;
            return token[from..to];
        }
    }

    sealed class MetaspaceStep(string replacement, bool prependSpace) : TokenDecoder
    {
        public override List<string> DecodeChain(List<string> tokens)
        {
            var result = new List<string>(tokens.Count);
            for (var i = 0; i < tokens.Count; i++)
            {
                var t = tokens[i].Replace(replacement, " ", StringComparison.Ordinal);
                if (i == 0 && prependSpace && t.StartsWith(' '))
                    t = t[1..];
                result.Add(t);
            }
            return result;
        }
    }
}
