// A Spectre console on stderr, so progress bars and notes never mix with results written to stdout.
using Spectre.Console;

namespace Pharos.Cli;

internal static class ErrorConsole
{
    public static IAnsiConsole Instance { get; } = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
}
