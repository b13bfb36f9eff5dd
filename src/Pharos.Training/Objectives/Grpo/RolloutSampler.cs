// Makes a Rollout: G completions per prompt from the batched KV-cache generator (seeded per step, so resume replays
// them), rewards from the RewardSet with every record column, group advantages, and old/reference log-probs.
using System.Diagnostics;
using System.Text.Json.Nodes;
using Pharos.Models.Generation;
using Pharos.Models.Transformer;
using Pharos.Training.Adapters;
using Pharos.Training.Datasets;
using Pharos.Training.Rewards;
using static TorchSharp.torch;

namespace Pharos.Training.Objectives.Grpo;

public sealed class RolloutSampler(ITextTokenizer tokenizer, RewardSet rewards, GrpoOptions options, CausalLM? reference, CompletionLog? log)
{
    public Rollout Sample(CausalLM model, Batch batch, long seed, int step)
    {
        var clock = Stopwatch.StartNew();
        int g = options.NumGenerations;
        var prompts = batch.Rows.SelectMany(r => Enumerable.Repeat((IReadOnlyList<int>)r.Ids, g)).ToList();
        var records = batch.Rows.SelectMany(r => Enumerable.Repeat(r.Record ?? new JsonObject(), g)).ToList();
        bool wasTraining = model.training;
        model.eval();
        var results = new TokenGenerator(model).Generate(prompts, new GenerationOptions
        {
            MaxNewTokens = options.MaxCompletionLength, Temperature = options.Temperature, TopK = options.TopK, TopP = options.TopP,
            StopTokenIds = options.StopTokenIds, Seed = seed,
        });
        double generation = clock.Elapsed.TotalSeconds;
        clock.Restart();

        // The stop token stays in the completion (so the model learns to stop); an immediate stop is a one-token completion.
        var completions = results.Select(r => r.FinishReason == "stop" && options.StopTokenIds.Count > 0
            ? [.. r.Tokens, options.StopTokenIds[0]] : r.Tokens).ToList();
        var inputs = results.Select((r, i) => new RewardInput(tokenizer.Decode(prompts[i]), tokenizer.Decode(r.Tokens), records[i])).ToList();
        var scores = rewards.Score(inputs);
        double rewardSeconds = clock.Elapsed.TotalSeconds;

        int n = prompts.Count, p = prompts.Max(x => x.Count), c = Math.Max(1, completions.Max(x => x.Length));
        var ids = new long[n * (p + c)];
        var attention = new long[n * (p + c)];
        var completionIds = new long[n * c];
        var completionMask = new float[n * c];
        for (int i = 0; i < n; i++)
        {
            int offset = i * (p + c) + p - prompts[i].Count;
            for (int j = 0; j < prompts[i].Count; j++) { ids[offset + j] = prompts[i][j]; attention[offset + j] = 1; }
            for (int j = 0; j < completions[i].Length; j++)
            {
                ids[i * (p + c) + p + j] = completions[i][j];
                attention[i * (p + c) + p + j] = 1;
                completionIds[i * c + j] = completions[i][j];
                completionMask[i * c + j] = 1;
            }
        }
        var device = model.Device;
        // Rounded to float32 here (as .to(float32) would), so no float64 tensor is left behind for the collector.
        var rewardTensor = tensor(scores.Total.Select(x => (float)x).ToArray(), device: device);
        var rollout = new Rollout
        {
            Ids = tensor(ids, [n, p + c], device: device),
            AttentionMask = tensor(attention, [n, p + c], device: device),
            CompletionIds = tensor(completionIds, [n, c], device: device),
            CompletionMask = tensor(completionMask, [n, c], device: device),
            // scale_rewards: batch takes its std over the whole step, all ranks included: GrpoObjective divides once all are sampled.
            Advantages = Advantages.Compute(rewardTensor, g, options.ScaleRewards == "batch" ? "none" : options.ScaleRewards),
            Rewards = rewardTensor,
            PromptLength = p, CompletionTokens = completions.Sum(x => (long)x.Length), Temperature = options.Temperature,
            Metrics = Metrics(scores, completions, generation, rewardSeconds, results.Sum(r => r.Tokens.Length)),
        };
        using (no_grad())
        {
            var old = options.NumIterations > 1 ? rollout.TokenLogProbs(model) : null;
            Tensor? refLogp = null;
            if (options.Beta > 0)
            {
                if (reference is not null) refLogp = rollout.TokenLogProbs(reference);
                else
                {
                    using var off = new AdaptersDisabled(model);
                    refLogp = rollout.TokenLogProbs(model);
                }
            }
            // A rollout outlives the Trainer's per-micro-batch dispose scope (num_iterations reuses it): it owns its tensors.
            rollout = new Rollout
            {
                Ids = Keep(rollout.Ids)!, AttentionMask = Keep(rollout.AttentionMask)!, CompletionIds = Keep(rollout.CompletionIds)!,
                CompletionMask = Keep(rollout.CompletionMask)!, Advantages = Keep(rollout.Advantages)!, Rewards = Keep(rollout.Rewards)!,
                PromptLength = p, CompletionTokens = rollout.CompletionTokens,
                Temperature = options.Temperature,
                Metrics = rollout.Metrics, OldLogp = Keep(old), RefLogp = Keep(refLogp),
            };
        }
        if (wasTraining) model.train();
        if (log is not null)
            for (int i = 0; i < Math.Min(2, n); i++)
                log.Write(step, inputs[i].Prompt, inputs[i].Completion, scores.Total[i], scores.PerFunction.ToDictionary(f => f.Key, f => f.Value[i]));
        return rollout;
    }

    static Tensor? Keep(Tensor? t) => t?.DetachFromDisposeScope();

    static Dictionary<string, double> Metrics(RewardScores scores, List<int[]> completions, double generation, double reward, long generatedTokens)
    {
        var m = new Dictionary<string, double>
        {
            ["reward"] = scores.Total.Average(),
            ["reward_std"] = Std(scores.Total),
            ["completion_length"] = completions.Average(x => x.Length),
            ["reward_failures"] = scores.Failures,
            ["time/generation"] = generation,
            ["time/reward"] = reward,
            ["generation_tokens_per_second"] = generatedTokens / Math.Max(generation, 1e-9),
        };
        foreach (var (name, values) in scores.PerFunction)
        {
            var scored = values.Where(v => !double.IsNaN(v)).ToArray();
            m[$"rewards/{name}/mean"] = scored.Length == 0 ? double.NaN : scored.Average();
            m[$"rewards/{name}/std"] = Std(scored);
        }
        return m;
    }

    static double Std(IReadOnlyList<double> v)
    {
        if (v.Count < 2) return 0;
        double mean = v.Average();
        return Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Count - 1));
    }
}
