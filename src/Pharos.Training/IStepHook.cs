// A component the Trainer tells when each optimizer step begins and ends (SparseLoRA's dense warm-up and FLOP log use it).
namespace Pharos.Training;

public interface IStepHook
{
    /// <param name="step">0-based index of the step about to run</param>
    void BeginStep(int step);

    /// <summary>Scalars to log for the step that just finished (written beside train/loss).</summary>
    /// <param name="sumOverRanks">sums values over every rank of the run (the identity in one process): counts each rank
    /// made of its own micro-batches become the step's before they are turned into ratios</param>
    IReadOnlyDictionary<string, double> EndStep(Func<double[], double[]> sumOverRanks);
}
