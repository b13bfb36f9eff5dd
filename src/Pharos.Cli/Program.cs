// Entry point of `pharos`: builds the command tree and turns failures into one clear line and a non-zero exit.
using System.CommandLine;
using Pharos.Cli;
using Pharos.Cli.Commands;

var root = new RootCommand("Pharos: curate multilingual text, train (CPT, SFT, WPO, GRPO; full, LoRA, SparseLoRA), evaluate and serve LLMs in Hugging Face formats.");
root.Options.Add(CommonOptions.Verbose);
foreach (var command in CommandCatalog.All())
    root.Subcommands.Add(command);

var parse = root.Parse(args);
try
{
    return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (Exception e)
{
    return ErrorReporter.Report(e, parse.GetValue(CommonOptions.Verbose));
}
