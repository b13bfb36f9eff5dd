// Prints a failure as one line (the innermost useful message) or, with --verbose, the whole stack trace.
using Pharos.Curation.Errors;
using Pharos.IO;
using Pharos.Models.Errors;

namespace Pharos.Cli;

internal static class ErrorReporter
{
    public static int Report(Exception e, bool verbose)
    {
        if (e is OperationCanceledException)
        {
            Console.Error.WriteLine("pharos: cancelled");
            return 130;
        }
        if (verbose)
        {
            Console.Error.WriteLine(e.ToString());
            return 1;
        }
        var shown = e is PharosException or CurationException or CorruptInputException || e.InnerException is null ? e : e.GetBaseException();
        var kind = shown is PharosException or CurationException or IOException or UnauthorizedAccessException ? "error" : $"error ({shown.GetType().Name})";
        Console.Error.WriteLine($"pharos: {kind}: {OneLine(shown.Message)} (run with --verbose for details)");
        return 1;
    }

    static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}
