// A component the Trainer tells when each optimizer step begins and ends (SparseLoRA's dense warm-up and FLOP log use it).
namespace Pharos.Training;

public interface IStepHook
{
    /// <param name="step">0-based index of the step about to run</param>
    void BeginStep(int step);

    /// <summary>Scalars to log for the step that just finished (written beside train/loss).</summary>
    IReadOnlyDictionary<string, double> EndStep();
}
