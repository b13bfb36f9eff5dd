// The one JSONL reader (plain, .gz, .zst): non-blank lines as raw bytes with their line number and byte offset, so each
// caller parses as it likes and reports a bad line by file and line. A cut or damaged compressed file throws
// CorruptInputException (file and compressed byte offset) instead of ending quietly after the last intact line.
namespace Pharos.IO;

/// <param name="Number">1-based line number</param>
/// <param name="Offset">byte offset of the line in the decompressed stream</param>
/// <param name="Bytes">the line without its terminator; valid until the next line is read</param>
public readonly record struct JsonlLine(long Number, long Offset, ReadOnlyMemory<byte> Bytes);

public static class JsonlFile
{
    public static IEnumerable<JsonlLine> ReadLines(string path)
    {
        using var stream = CompressedFile.OpenRead(path);
        var lines = new ByteLineReader(stream);
        long number = 0;
        while (lines.TryReadLine(out var line, out var offset))
        {
            number++;
            if (!IsBlank(line.Span)) yield return new JsonlLine(number, offset, line);
        }
    }

    static bool IsBlank(ReadOnlySpan<byte> line) => line.Trim(" \t\r"u8).IsEmpty;
}
