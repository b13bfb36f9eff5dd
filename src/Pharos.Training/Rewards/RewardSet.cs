// The weighted sum of reward functions for a batch of completions (batch rewards such as COMET see the whole batch at
// once). A function that abstains adds nothing; one that throws or returns NaN on a sample is logged and counted as a
// failure for that sample (treated as abstaining), never fatal.
namespace Pharos.Training.Rewards;

public sealed record WeightedReward(IRewardFunction Function, double Weight);

/// <param name="Total">Σ_k w_k·r_k per completion</param>
/// <param name="PerFunction">r_k per completion, NaN where it abstained or failed</param>
public sealed record RewardScores(double[] Total, IReadOnlyDictionary<string, double[]> PerFunction, int Failures);

public sealed class RewardSet(IReadOnlyList<WeightedReward> rewards, Action<string>? log = null)
{
    public IReadOnlyList<WeightedReward> Rewards => rewards;
    public long FailuresSoFar { get; private set; }

    public RewardScores Score(IReadOnlyList<RewardInput> inputs)
    {
        var total = new double[inputs.Count];
        var per = rewards.ToDictionary(r => r.Function.Name, _ => new double[inputs.Count]);
        int failures = 0;
        foreach (var (function, weight) in rewards)
        {
            var scores = per[function.Name];
            var batch = function is IBatchRewardFunction batched ? ScoreBatch(batched, inputs, ref failures) : null;
            for (int i = 0; i < inputs.Count; i++)
            {
                double? r;
                if (batch is not null)
                    r = batch[i];
                else
                    try
                    {
                        r = function.Score(inputs[i]);
                    }
                    catch (Exception e)
                    {
                        failures++;
                        log?.Invoke($"reward '{function.Name}' failed on a completion ({e.GetType().Name}: {e.Message}); counted as abstaining");
                        r = null;
                    }
                if (r is double v && !double.IsFinite(v))
                {
                    failures++;
                    log?.Invoke($"reward '{function.Name}' returned {v} on a completion; counted as abstaining");
                    r = null;
                }
                scores[i] = r ?? double.NaN;
                if (r is double ok) total[i] += weight * ok;
            }
        }
        FailuresSoFar += failures;
        return new RewardScores(total, per, failures);
    }

    /// <summary>A batch reward scores every completion at once; if the batch fails, each completion counts as a failure.</summary>
    IReadOnlyList<double?> ScoreBatch(IBatchRewardFunction function, IReadOnlyList<RewardInput> inputs, ref int failures)
    {
        try
        {
            var scores = function.ScoreBatch(inputs);
            if (scores.Count != inputs.Count)
                throw new InvalidOperationException($"{scores.Count} scores for {inputs.Count} completions");
            return scores;
        }
        catch (Exception e)
        {
            failures += inputs.Count;
            log?.Invoke($"reward '{function.Name}' failed on a batch of {inputs.Count} completions ({e.GetType().Name}: {e.Message}); counted as abstaining");
            return new double?[inputs.Count];
        }
    }
}
