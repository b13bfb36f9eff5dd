// The weighted sum of reward functions for a batch of completions. A function that abstains adds nothing; one that
// throws or returns NaN on a sample is logged and counted as a failure for that sample (treated as abstaining), never fatal.
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
            for (int i = 0; i < inputs.Count; i++)
            {
                double? r;
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
}
