// What an objective returns: a summed loss (with autograd), how many units it sums over, and metrics to log.
using static TorchSharp.torch;

namespace Pharos.Training.Objectives;

/// <param name="LossSum">scalar tensor: sum of per-unit losses</param>
/// <param name="Units">number of units summed (target tokens for language modelling)</param>
/// <param name="Metrics">extra values to log, already summed over units where that makes sense</param>
public sealed record ObjectiveOutput(Tensor LossSum, long Units, IReadOnlyDictionary<string, double> Metrics);
