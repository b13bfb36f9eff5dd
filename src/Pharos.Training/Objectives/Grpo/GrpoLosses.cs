// The GRPO loss normalisations by TRL name; an unknown name is a start-up error listing the known ones.
using Pharos.Models.Errors;

namespace Pharos.Training.Objectives.Grpo;

public static class GrpoLosses
{
    static readonly IGrpoLoss[] All = [new SequenceMeanLoss(), new TokenMeanLoss(), new DrGrpoLoss(), new DapoLoss()];

    public static IReadOnlyList<string> Names => All.Select(l => l.Name).ToList();

    public static IGrpoLoss ByName(string name) => All.FirstOrDefault(l => l.Name == name)
        ?? throw new PharosException($"grpo.loss_type '{name}' is not known (known: {string.Join(", ", Names)})");
}
