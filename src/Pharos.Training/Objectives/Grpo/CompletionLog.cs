// Sample completions to JSONL (step, prompt, completion, reward per function), so a run can be read, not just plotted.
using System.Text.Json.Nodes;

namespace Pharos.Training.Objectives.Grpo;

public sealed class CompletionLog(string path, bool append) : IDisposable
{
    readonly StreamWriter writer = new(Prepared(path), append);

    static string Prepared(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        return path;
    }

    public void Write(int step, string prompt, string completion, double reward, IReadOnlyDictionary<string, double> perFunction)
    {
        var rewards = new JsonObject();
        foreach (var (name, value) in perFunction) rewards[name] = double.IsNaN(value) ? null : value;
        writer.WriteLine(new JsonObject
        {
            ["step"] = step, ["prompt"] = prompt, ["completion"] = completion, ["reward"] = reward, ["rewards"] = rewards,
        }.ToJsonString());
        writer.Flush();
    }

    public void Dispose() => writer.Dispose();
}
