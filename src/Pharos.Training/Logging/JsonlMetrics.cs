// Metrics as one JSON object per line ({"step": 10, "loss": 2.31, "lr": …}), appended and flushed so a killed run keeps its log.
using System.Globalization;
using System.Text;

namespace Pharos.Training.Logging;

public sealed class JsonlMetrics : IMetricsSink
{
    readonly StreamWriter writer;

    public JsonlMetrics(string path, bool append)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        writer = new StreamWriter(path, append, new UTF8Encoding(false));
        Path_ = path;
    }

    public string Path_ { get; }

    public void Write(int step, IReadOnlyDictionary<string, double> scalars)
    {
        var sb = new StringBuilder("{\"step\": ").Append(step.ToString(CultureInfo.InvariantCulture));
        foreach (var (key, value) in scalars)
            sb.Append(", \"").Append(key).Append("\": ").Append(double.IsFinite(value) ? value.ToString("R", CultureInfo.InvariantCulture) : "null");
        writer.WriteLine(sb.Append('}').ToString());
        writer.Flush();
    }

    public void Dispose() => writer.Dispose();
}
