// One input record that cannot be read (bad JSON, bad UTF-8, truncated stream, malformed WARC): names the file and byte offset.
namespace Pharos.Curation.Errors;

public sealed class InvalidRecordException : CurationException
{
    public InvalidRecordException(string file, long offset, string code, string message)
        : base($"{file} at byte {offset}: {message}")
    {
        File = file;
        Offset = offset;
        Code = code;
    }

    public string File { get; }
    public long Offset { get; }
    /// <summary>Stable code, e.g. "invalid_json", "truncated_stream".</summary>
    public string Code { get; }
}
