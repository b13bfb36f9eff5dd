// Quotes a word for bash (single quotes, embedded ones escaped), for the batch scripts the Slurm executor writes.
namespace Pharos.Curation.Pipeline;

public static class ShellQuote
{
    public static string Quote(string s) => "'" + s.Replace("'", "'\\''") + "'";
}
