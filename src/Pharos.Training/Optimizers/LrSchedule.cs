// Learning-rate schedules: linear warmup, then cosine or linear decay to a floor (transformers' get_*_schedule_with_warmup).
namespace Pharos.Training.Optimizers;

public enum DecayShape { Cosine, Linear, Constant }

public sealed record LrSchedule(double PeakLr, int WarmupSteps, int TotalSteps, DecayShape Shape = DecayShape.Cosine, double MinLrRatio = 0.0)
{
    /// <summary>The learning rate for optimizer step <paramref name="step"/> (0-based, the step about to be taken).</summary>
    public double At(int step)
    {
        // As transformers: step 0 of a warmup runs at lr 0, the peak is reached when warmup ends.
        if (step < WarmupSteps) return PeakLr * step / WarmupSteps;
        double progress = TotalSteps <= WarmupSteps ? 1 : (double)(step - WarmupSteps) / (TotalSteps - WarmupSteps);
        progress = Math.Clamp(progress, 0, 1);
        double factor = Shape switch
        {
            DecayShape.Cosine => 0.5 * (1 + Math.Cos(Math.PI * progress)),
            DecayShape.Linear => 1 - progress,
            _ => 1,
        };
        return PeakLr * (MinLrRatio + (1 - MinLrRatio) * factor);
    }

    public static DecayShape ParseShape(string name) => name.ToLowerInvariant() switch
    {
        "cosine" => DecayShape.Cosine,
        "linear" => DecayShape.Linear,
        "constant" => DecayShape.Constant,
        _ => throw new ArgumentException($"unknown schedule '{name}' (cosine, linear, constant)"),
    };
}
