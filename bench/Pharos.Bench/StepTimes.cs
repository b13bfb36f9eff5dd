// Seconds of each Trainer step, from the observer's elapsed times (taken before any end-of-run checkpoint is written).
using Pharos.Training.Logging;

namespace Pharos.Bench;

internal sealed class StepTimes : ITrainingObserver
{
    public readonly List<double> Seconds = [];
    double last;

    public void StepDone(StepReport r)
    {
        Seconds.Add(r.Elapsed.TotalSeconds - last);
        last = r.Elapsed.TotalSeconds;
    }
}
