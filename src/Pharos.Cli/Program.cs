// Entry point of `pharos`: builds the command tree and turns failures into one clear line and a non-zero exit.
using System.CommandLine;
using Pharos.Cli;
using Pharos.Cli.Commands;

// First of all: with tcmalloc installed, the process re-executes itself once with it preloaded (NativeAllocator says why).
try
{
    Pharos.Models.NativeAllocator.PreloadByReexec();
}
catch (Pharos.Models.Errors.PharosException e)
{
    return ErrorReporter.Report(e, verbose: false);
}
// Before any tensor exists: idle OpenMP threads spin briefly, then sleep (see OpenMpWaitPolicy for the numbers).
Pharos.Models.OpenMpWaitPolicy.LimitSpinning();

var root = new RootCommand("Pharos: curate multilingual text, train (CPT, SFT, WPO, GRPO; full, LoRA, SparseLoRA), evaluate and serve LLMs in Hugging Face formats.");
root.Options.Add(CommonOptions.Verbose);
foreach (var command in CommandCatalog.All())
    root.Subcommands.Add(command);

// PHAROS_THREADS sets libtorch's CPU threads (on a busy shared machine, 1 avoids OpenMP threads spinning against each other).
if (Environment.GetEnvironmentVariable("PHAROS_THREADS") is { Length: > 0 } threads && int.TryParse(threads, out var n) && n > 0)
    TorchSharp.torch.set_num_threads(n);

var parse = root.Parse(args);
// A command line that does not parse fails with one line, --help or not: the help of a command that does not exist
// would exit 0 and hide the mistake from a script. A bare `pharos` still shows the help.
// (With --help in the line, System.CommandLine reports no errors, but the words it did not recognise are still listed.)
if ((parse.Errors.Count > 0 || parse.UnmatchedTokens.Count > 0) && args.Length > 0)
    return ErrorReporter.ReportUsage(parse);
try
{
    // Under mpirun/srun with several ranks, only the commands that run as one job over them may start (the others would
    // be N copies writing the same files).
    RankedRun.RefuseIfUnsupported(parse);
    return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (Exception e)
{
    return ErrorReporter.Report(e, parse.GetValue(CommonOptions.Verbose));
}
