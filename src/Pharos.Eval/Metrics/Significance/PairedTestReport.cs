// Results of a paired significance test over several systems: per metric name, one result per system (baseline first).
namespace Pharos.Eval.Metrics.Significance;

public sealed record PairedTestReport(
    string TestType,
    int Samples,
    IReadOnlyList<string> Systems,
    IReadOnlyDictionary<string, IReadOnlyList<PairedTestResult>> Results,
    IReadOnlyDictionary<string, MetricSignature> Signatures);
