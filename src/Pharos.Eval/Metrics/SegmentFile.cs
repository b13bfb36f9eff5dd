// Reads a hypothesis or reference file the way sacrebleu's CLI does (UTF-8, '\n' line ends, trailing whitespace dropped), failing with file and line.
using System.Text;
using Pharos.Eval.Errors;
using Pharos.Eval.Metrics.Text;

namespace Pharos.Eval.Metrics;

public static class SegmentFile
{
    static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// One segment per line. Lines end at '\n' only (Python's newline="\n"); each is rstripped like sacrebleu's
    /// CLI does; a leading BOM stays part of line 1, as Python's utf-8 codec keeps it.
    /// </summary>
    public static string[] Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidInputException($"cannot read {path}: {e.Message}", e);
        }
        var lines = new List<string>();
        var start = 0;
        var lineNo = 1;
        for (var i = 0; i <= bytes.Length; i++)
        {
            if (i < bytes.Length && bytes[i] != (byte)'\n')
                continue;
            if (i == bytes.Length && start == bytes.Length)
                break;
            lines.Add(PythonText.RStrip(Decode(bytes.AsSpan(start, i - start), path, lineNo)));
            start = i + 1;
            lineNo++;
        }
        return [.. lines];
    }

    static string Decode(ReadOnlySpan<byte> line, string path, int lineNo)
    {
        try
        {
            return Strict.GetString(line);
        }
        catch (DecoderFallbackException e)
        {
            var column = e.Index >= 0 ? $", byte {e.Index + 1}" : "";
            throw new InvalidInputException($"{path}:{lineNo}: invalid UTF-8{column}", e);
        }
    }

    /// <summary>Every stream must have as many segments as the first; the message names both files.</summary>
    public static void CheckSameLength(IReadOnlyList<(string Path, string[] Lines)> files)
    {
        var (firstPath, first) = files[0];
        foreach (var (path, lines) in files.Skip(1))
            if (lines.Length != first.Length)
                throw new InvalidInputException($"{path} has {lines.Length} lines but {firstPath} has {first.Length}: hypotheses and references must align line by line");
    }
}
