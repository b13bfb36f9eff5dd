// Progress callbacks from the Trainer (the CLI draws a progress bar from them; tests may ignore them).
namespace Pharos.Training.Logging;

/// <param name="Step">optimizer steps done (1-based)</param>
/// <param name="Loss">mean loss per unit over the step's accumulated micro-batches</param>
public sealed record StepReport(int Step, int TotalSteps, double Loss, double Lr, double GradNorm, long Tokens, double TokensPerSecond, TimeSpan Elapsed, TimeSpan Eta);

public interface ITrainingObserver
{
    void Started(int startStep, int totalSteps) { }
    void StepDone(StepReport report) { }
    void Evaluated(int step, double evalLoss) { }
    void Checkpointed(int step, string path) { }
    void Message(string text) { }
}

public sealed class NullObserver : ITrainingObserver
{
    public static readonly NullObserver Instance = new();
}
