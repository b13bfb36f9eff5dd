// One system's outcome in a paired test: its score, p-value against the baseline, and bootstrap mean ± 95% CI where computed.
namespace Pharos.Eval.Metrics.Significance;

public sealed record PairedTestResult(double Score, double? PValue = null, double? Mean = null, double? Ci = null);
