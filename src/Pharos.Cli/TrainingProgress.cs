// Shows a training run: a Spectre.Console progress bar (loss, lr, tokens/s, ETA) on a terminal, one plain line per
// few steps otherwise (logs, CI, tests), plus eval losses, checkpoints and messages.
using System.Globalization;
using Pharos.Training.Logging;
using Spectre.Console;

namespace Pharos.Cli;

internal sealed class TrainingProgress : ITrainingObserver
{
    readonly string label;
    ProgressTask? task;
    int lineEvery = 1;

    TrainingProgress(string label) => this.label = label;

    /// <summary>Runs <paramref name="body"/> with a live progress display when the console is interactive.</summary>
    public static T Show<T>(string label, Func<ITrainingObserver, T> body)
    {
        var observer = new TrainingProgress(label);
        if (!AnsiConsole.Profile.Capabilities.Interactive) return body(observer);
        T result = default!;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                observer.task = ctx.AddTask(Markup.Escape(label), autoStart: false);
                result = body(observer);
                observer.task.StopTask();
            });
        return result;
    }

    public void Started(int startStep, int totalSteps)
    {
        lineEvery = Math.Max(1, totalSteps / 20);
        if (task is null) return;
        task.MaxValue = totalSteps;
        task.Value = startStep;
        task.StartTask();
    }

    public void StepDone(StepReport r)
    {
        var text = string.Create(CultureInfo.InvariantCulture,
            $"{label} step {r.Step}/{r.TotalSteps} loss {r.Loss:F4} lr {r.Lr:0.00e+00} gnorm {r.GradNorm:F2} {r.TokensPerSecond:F0} tok/s");
        if (task is not null)
        {
            task.Description = Markup.Escape(text);
            task.Value = r.Step;
        }
        else if (r.Step % lineEvery == 0 || r.Step == r.TotalSteps)
        {
            Console.WriteLine(text + string.Create(CultureInfo.InvariantCulture, $" eta {r.Eta:hh\\:mm\\:ss}"));
        }
    }

    public void Evaluated(int step, double evalLoss) => Line($"{label} step {step}: eval loss {evalLoss.ToString("F4", CultureInfo.InvariantCulture)}");

    public void Checkpointed(int step, string path) => Line($"{label} step {step}: checkpoint {path}");

    public void Message(string text) => Line($"{label}: {text}");

    void Line(string text)
    {
        if (task is not null) AnsiConsole.MarkupLine(Markup.Escape(text));
        else Console.WriteLine(text);
    }
}
