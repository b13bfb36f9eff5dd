// Runs a command on every rank of the job this process belongs to (one process when no launcher started several): a rank
// that fails prints its error on stderr and aborts the whole job (MPI_Abort), so the other ranks never wait for it.
using System.CommandLine;
using Pharos.Training.Distributed;

namespace Pharos.Cli;

internal static class RankedRun
{
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
