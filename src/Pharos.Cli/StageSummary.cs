// Prints what a finished stage produced: losses, the realised data mix, bad records and where the files are.
using System.Globalization;
using Pharos.Training;

namespace Pharos.Cli;

internal static class StageSummary
{
    public static void Print(StageResult r)
    {
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(inv, $"done: {r.Train.Steps} steps, {r.Train.Tokens} tokens in {r.Train.Elapsed:hh\\:mm\\:ss}; final loss {r.Train.LastLoss:F4}")
            + (r.Train.EvalLoss is double e ? string.Create(inv, $", eval loss {e:F4}") : ""));
        foreach (var m in r.Mix)
            Console.WriteLine(string.Create(inv, $"  mix {m.Name}: requested {m.RequestedShare:P1}, got {m.ExampleShare:P1} of examples / {m.TokenShare:P1} of target tokens ({m.Passes:F2} passes)"));
        Console.WriteLine($"  {r.BadRecords}");
        if (r.FinalModel is not null) Console.WriteLine($"  model:       {r.FinalModel}");
        if (r.FinalAdapter is not null) Console.WriteLine($"  adapter:     {r.FinalAdapter} (PEFT format)");
        Console.WriteLine($"  metrics:     {r.Metrics}");
        Console.WriteLine($"  tensorboard: {r.TensorBoard}  (tensorboard --logdir {r.TensorBoard})");
    }
}
