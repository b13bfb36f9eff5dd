// Prints a failure as one line (the innermost useful message) or, with --verbose, the whole stack trace; a command line
// that does not parse, as one line naming what was wrong.
using System.CommandLine;
using System.CommandLine.Parsing;
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

    /// <summary>A command line that did not parse, on one line: the words not recognised (an unknown command, an extra
    /// argument) or else the parser's errors, and the help to read.</summary>
    public static int ReportUsage(ParseResult parse)
    {
        var names = new List<string>();
        for (var result = parse.CommandResult; result is not null; result = result.Parent as CommandResult) names.Insert(0, result.Command.Name);
        var problem = parse.UnmatchedTokens.Count > 0
            ? $"unrecognized command or argument {string.Join(", ", parse.UnmatchedTokens.Select(t => $"'{t}'"))}"
            : string.Join(" ", parse.Errors.Select(e => OneLine(e.Message)));
        Console.Error.WriteLine($"pharos: error: {problem} (see '{string.Join(" ", names)} --help')");
        return 1;
    }

    static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}
