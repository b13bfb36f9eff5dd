// The list of `pharos` subcommands, in the order `pharos --help` shows them.
using System.CommandLine;

namespace Pharos.Cli.Commands;

internal static class CommandCatalog
{
    public static IEnumerable<Command> All() =>
    [
        QuickstartCommand.Create(),
        InspectCommand.Create(),
        ForwardCommand.Create(),
        GenerateCommand.Create(),
        TranslateCommand.Create(),
        ChatCommand.Create(),
        ServeCommand.Create(),
        ScoreCommand.Create(),
        CurateCommand.Create(),
        TokenizerCommand.Create(),
        DataCommand.Create(),
        TrainCommand.Create(),
        RecipeCommand.Create(),
        PrefsCommand.Create(),
        MergeCommand.Create(),
        ExportCommand.Create(),
        EvalCommand.Create(),
        SparseLoraCommand.Create(),
    ];
}
