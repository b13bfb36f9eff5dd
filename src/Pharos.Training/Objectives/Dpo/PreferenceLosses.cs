// The DPO loss variants by their TRL names; an unknown name is a start-up error listing the known ones.
using Pharos.Models.Errors;

namespace Pharos.Training.Objectives.Dpo;

public static class PreferenceLosses
{
    static readonly IPreferenceLoss[] All = [new SigmoidLoss(), new RobustLoss(), new IpoLoss(), new HingeLoss()];

    public static IReadOnlyList<string> Names => All.Select(l => l.Name).ToList();

    public static IPreferenceLoss ByName(string name) => All.FirstOrDefault(l => l.Name == name)
        ?? throw new PharosException($"dpo.loss_type '{name}' is not known (known: {string.Join(", ", Names)})");
}
