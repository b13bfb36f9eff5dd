// What one source contributed to a mix: the share asked for, the examples and target tokens it got, and how many passes
// over its examples that took (above 1: upsampled).
namespace Pharos.Training.Datasets;

public sealed record MixShare(string Name, double RequestedShare, int Examples, double ExampleShare, long TargetTokens, double TokenShare, double Passes);
