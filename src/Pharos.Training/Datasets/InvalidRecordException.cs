// A training record that cannot be used; names the file, the line and a stable reason code.
using Pharos.Models.Errors;

namespace Pharos.Training.Datasets;

public sealed class InvalidRecordException : PharosException
{
    public InvalidRecordException(string file, long line, string reason, string detail)
        : base($"{file}:{line}: {reason}: {detail}")
    {
        File = file;
        Line = line;
        Reason = reason;
    }

    public string File { get; }
    public long Line { get; }
    public string Reason { get; }
}
