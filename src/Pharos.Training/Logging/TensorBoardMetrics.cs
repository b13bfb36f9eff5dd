// Metrics as TensorBoard event files (events.out.tfevents.*) through TorchSharp's SummaryWriter; tags like train/loss.
using static TorchSharp.torch.utils.tensorboard;

namespace Pharos.Training.Logging;

public sealed class TensorBoardMetrics : IMetricsSink
{
    readonly TorchSharp.Modules.SummaryWriter writer;

    public TensorBoardMetrics(string folder)
    {
        Directory.CreateDirectory(folder);
        writer = SummaryWriter(folder);
    }

    public void Write(int step, IReadOnlyDictionary<string, double> scalars)
    {
        foreach (var (key, value) in scalars)
            if (double.IsFinite(value)) writer.add_scalar(key.Contains('/') ? key : "train/" + key, (float)value, step);
    }

    public void Dispose() { }
}
