// From a recipe's sparselora section to a model with SparseLoRA attached: the schedule (preset scaled to the depth and width, plus
// per-layer overrides), the dense warm-up, the cached estimator next to the model folder.
using System.Globalization;
using Pharos.Models.Config;
using Pharos.Models.Transformer;
using Pharos.Training.Recipes;
using static TorchSharp.torch;

namespace Pharos.Training.Adapters.SparseLora;

public static class SparseLoraSetup
{
    public static SparseLoraOptions Options(SparseloraSection section, ModelConfig config, int maxSteps)
    {
        var schedule = SparsitySchedule.Preset(section.Preset, config.NumLayers, config.IntermediateSize, config.HeadDim);
        foreach (var (layer, values) in section.Layers.OrderBy(l => int.Parse(l.Key, CultureInfo.InvariantCulture)))
            schedule = schedule.With(int.Parse(layer, CultureInfo.InvariantCulture), values.Mlp, values.SelfAttn);
        return new SparseLoraOptions
        {
            Schedule = schedule,
            EstimatorRank = section.Rank,
            StartStep = section.StartStep >= 0 ? section.StartStep : SparseLoraOptions.DefaultStartStep(maxSteps),
            EndStep = section.EndStep >= 0 ? section.EndStep : null,
            DenseOutputTokens = section.DenseOutputTokens,
            SparseLoraBranch = section.SparseLoraBranch,
        };
    }

    /// <param name="modelFolder">where the estimator is cached (null for a model built in memory)</param>
    public static SparseLoraContext Attach(CausalLM model, string? modelFolder, LoraOptions lora, SparseLoraOptions options,
        long seed, Generator? dropoutRng, Action<string>? message = null)
    {
        var estimators = options.Schedule.IsDense
            ? new Dictionary<string, LowRankFactors>()
            : EstimatorCache.LoadOrCompute(model, modelFolder, options.EstimatorRank, message: message);
        var context = SparseLora.Apply(model, lora, options, estimators, seed, dropoutRng);
        message?.Invoke($"sparselora: mlp/attention sparsity per layer {options.Schedule}; dense before step {options.StartStep}" +
            (options.EndStep is int end ? $" and from step {end}" : ""));
        return context;
    }
}
