// Fixes text encoding damage (ftfy's main cases): UTF-8 read as windows-1252/latin-1 ("Ã©" → "é"), control characters, CRLF, NFC.
using System.Text;
using Pharos.Curation.Pipeline;

namespace Pharos.Curation.Filters;

public sealed class EncodingFixer : DocumentFormatter
{
    static readonly Encoding Windows1252;
    static readonly UTF8Encoding StrictUtf8 = new(false, true);

    static EncodingFixer()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        Windows1252 = Encoding.GetEncoding(1252, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
    }

    public override string Name => "encoding_fix";

    protected internal override string Format(string text)
    {
        var fixedText = NeedsWork(text) ? Repair(text) : text;
        return fixedText.IsNormalized(NormalizationForm.FormC) ? fixedText : fixedText.Normalize(NormalizationForm.FormC);
    }

    static bool NeedsWork(string text)
    {
        foreach (var c in text)
            if (c is '\r' or 'Ã' or 'Â' or 'â' or 'Ð' or 'Ñ' or 'Å' or 'Ä' or '\uFFFD' || (char.IsControl(c) && c is not '\n' and not '\t'))
                return true;
        return false;
    }

    static string Repair(string text)
    {
        var lines = text.Replace("\r\n", "\n").Replace('\r', '\n').Split('\n');
        for (var i = 0; i < lines.Length; i++)
            lines[i] = RemoveControls(Unmojibake(lines[i]));
        return string.Join('\n', lines);
    }

    // A line that round-trips windows-1252 → UTF-8 strictly and gets shorter was UTF-8 decoded as 1252: take the decoded form.
    // Lines that do not round-trip (real "Ã" in Portuguese, mixed damage) stay as they are: precision over recall.
    static string Unmojibake(string line)
    {
        if (line.IndexOfAny(['Ã', 'Â', 'â', 'Ð', 'Ñ', 'Å', 'Ä']) < 0)
            return line;
        try
        {
            var bytes = Windows1252.GetBytes(line);
            var decoded = StrictUtf8.GetString(bytes);
            return decoded.Length < line.Length ? decoded : line;
        }
        catch (Exception e) when (e is EncoderFallbackException or DecoderFallbackException)
        {
            return line;
        }
    }

    static string RemoveControls(string line)
    {
        var clean = true;
        foreach (var c in line)
            if (char.IsControl(c) && c != '\t') { clean = false; break; }
        if (clean)
            return line;
        var sb = new StringBuilder(line.Length);
        foreach (var c in line)
            if (!char.IsControl(c) || c == '\t')
                sb.Append(c);
        return sb.ToString();
    }
}
