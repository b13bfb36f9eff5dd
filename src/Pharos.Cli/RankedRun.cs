// Runs a command on every rank of the job this process belongs to (one process when no launcher started several): a rank
// that fails prints its error on stderr and aborts the whole job (MPI_Abort), so the other ranks never wait for it.
using System.CommandLine;
using System.CommandLine.Parsing;
using Pharos.Models.Errors;
using Pharos.Training.Distributed;

namespace Pharos.Cli;

internal static class RankedRun
{
    /// <summary>The commands that run as one job over several ranks.</summary>
    static readonly string[] MultiProcess = ["train", "recipe run", "distributed check"];

    public static void RefuseIfUnsupported(ParseResult parse)
    {
        if (MpiLaunch.Detect(Environment.GetEnvironmentVariable) is not { } launch) return;
        var path = new List<string>();
        for (SymbolResult? r = parse.CommandResult; r is CommandResult c && c.Parent is not null; r = c.Parent) path.Insert(0, c.Command.Name);
        var command = string.Join(' ', path);
        if (path.Count > 0 && !MultiProcess.Contains(command))
            throw new PharosException($"pharos {command} runs in one process, but {launch.Launcher} started {launch.Size}: "
                + $"run it without the launcher (several processes: {string.Join(", ", MultiProcess.Select(m => "pharos " + m))})");
    }

    public static int Run(ParseResult parse, Func<IProcessGroup, int> body)
    {
        using var group = ProcessGroups.FromEnvironment();
        if (group.Size == 1) return body(group);
        try
        {
            return body(group);
        }
        catch (Exception e)
        {
            int code = ErrorReporter.Report(e, parse.GetValue(CommonOptions.Verbose), $"rank {group.Rank} of {group.Size}");
            group.Abort(code);
            return code;
        }
    }
}
