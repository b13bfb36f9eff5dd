// An input file that ends early or whose compressed data is damaged: names the file and the byte offset where reading failed.
namespace Pharos.IO;

public sealed class CorruptInputException : IOException
{
    /// <param name="offset">byte offset in the file as stored (compressed bytes for .gz/.zst) where reading failed</param>
    public CorruptInputException(string file, long offset, string detail, Exception? inner = null)
        : base($"{file}: truncated or corrupt input at byte {offset}: {detail}", inner)
    {
        File = file;
        Offset = offset;
        Detail = detail;
    }

    public string File { get; }
    public long Offset { get; }
    public string Detail { get; }
}
