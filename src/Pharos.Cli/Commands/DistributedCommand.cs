// `pharos distributed check`: run under mpirun/srun, checks that MPI is found and that every collective gives the right
// values on every rank; prints each rank's place in the job (rank, size, local rank, host).
using System.CommandLine;
using Pharos.Training.Distributed;

namespace Pharos.Cli.Commands;

internal static class DistributedCommand
{
    public static Command Create()
    {
        var check = new Command("check", "Check the MPI set-up: run as `mpirun -np 2 pharos distributed check` (or srun); each rank tests every collective.");
        check.SetAction(parse => RankedRun.Run(parse, group =>
        {
            var passed = CollectiveCheck.Run(group);
            if (group.Rank == 0) Console.WriteLine($"process group: {group.Description}");
            Console.WriteLine($"rank {group.Rank} of {group.Size} (local rank {group.LocalRank} on {Environment.MachineName}): {passed.Count} collectives ok ({string.Join(", ", passed)})");
            // A line of its own: short lines from several ranks reach a shared stdout whole.
            Console.WriteLine($"rank {group.Rank} of {group.Size}: allocator {Pharos.Models.NativeAllocator.Describe()}");
            return 0;
        }));
        var command = new Command("distributed", "Multi-process training support (MPI).");
        command.Subcommands.Add(check);
        return command;
    }
}
