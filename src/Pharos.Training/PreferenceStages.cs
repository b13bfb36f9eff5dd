// The data and objective of the preference stages for StageRunner: dpo (pairs; reference = adapters off, a separate
// model, or log-probs cached on disk) and grpo (prompts; rewards by name; completions logged to completions.jsonl).
using Pharos.Models;
using Pharos.Models.Errors;
using Pharos.Models.Loading;
using Pharos.Models.Transformer;
using Pharos.Training.Adapters;
using Pharos.Training.Datasets;
using Pharos.Training.Distributed;
using Pharos.Training.Objectives;
using Pharos.Training.Objectives.Dpo;
using Pharos.Training.Objectives.Grpo;
using Pharos.Training.Precision;
using Pharos.Training.Recipes;
using Pharos.Training.Rewards;
using Pharos.Training.Tokenizer;

namespace Pharos.Training;

/// <param name="Owned">what the stage must dispose when done (reference model, completion log)</param>
public sealed record StagePlan(TrainingData Data, IObjective Objective, IReadOnlyList<IDisposable> Owned);

public static class PreferenceStages
{
    public static StagePlan Dpo(Recipe recipe, CausalLM model, ITextTokenizer tokenizer, IReadOnlyList<DataSource> sources, BadRecords bad, string output, Action<string> message,
        DataParallel? parallel = null)
    {
        parallel ??= DataParallel.None;
        var d = recipe.Dpo;
        var data = PreferenceData.Pairs(sources, tokenizer, recipe.Data.SequenceLength, recipe.Seed, bad, recipe.Data.EvalFraction, recipe.Data.EvalMax);
        var owned = new List<IDisposable>();
        IReferenceLogProbs reference;
        if (d.PrecomputeRefLogProbs)
        {
            var path = Path.Combine(output, "ref_logps.json");
            // The cache is keyed on the reference's weights, hashed without loading a separate reference model: when every
            // pair is cached under this fingerprint, the reference is never loaded.
            var folder = ReferenceFolder(recipe, d.RefModel, model);
            var fingerprint = folder is null ? ReferenceFingerprint.OfFrozenBase(model) : ReferenceFingerprint.OfFolder(folder, ReferenceDType(recipe, folder, model.Device));
            var cached = CachedReference.Build(path, fingerprint, () => Reference(recipe, d.RefModel, model, owned, message), model,
                [.. data.Train.Rows, .. data.Eval], recipe.Train.MicroBatchSize, tokenizer.PadId, message, parallel);
            message(cached.Computed == 0
                ? $"reference log-probs of {cached.Count} pairs read from {path} (reference model not loaded)"
                : $"reference log-probs of {cached.Computed} pairs computed and cached in {path}");
            foreach (var o in owned) o.Dispose(); // the reference model is no longer needed in memory
            owned.Clear();
            reference = cached;
        }
        else reference = Reference(recipe, d.RefModel, model, owned, message);
        var objective = new DpoObjective(PreferenceLosses.ByName(d.LossType), reference, d.Beta, d.LabelSmoothing, d.RpoAlpha, d.UseWeighting);
        return new StagePlan(data, objective, owned);
    }

    public static StagePlan Grpo(Recipe recipe, CausalLM model, ITextTokenizer tokenizer, IReadOnlyList<DataSource> sources, BadRecords bad, string output, bool resuming, Action<string> message,
        DataParallel? parallel = null)
    {
        parallel ??= DataParallel.None;
        var g = recipe.Grpo;
        var stops = tokenizer is HfTextTokenizer hf ? hf.StopIds : [tokenizer.EosId];
        var options = PreferenceValidator.Options(g, stops);
        var maxPrompt = recipe.Data.SequenceLength - g.MaxCompletionLength;
        if (maxPrompt < 1) throw new RecipeException("data.sequence_length", $"must exceed grpo.max_completion_length ({g.MaxCompletionLength})");
        var data = PreferenceData.Prompts(sources, tokenizer, maxPrompt, recipe.Seed, bad, recipe.Data.EvalFraction, recipe.Data.EvalMax);
        var owned = new List<IDisposable>();
        CausalLM? reference = null;
        if (g.Beta > 0 && (g.RefModel.Length > 0 || !AdaptersDisabled.HasAdapters(model)))
            reference = ((ModelReferenceHolder)Reference(recipe, g.RefModel, model, owned, message, holder: true)).Model;
        var rewards = RewardRegistry.Build(g.Rewards.Select(r => new RewardSpec(r.Name, r.Weight, r.Column, r.Model, r.Encoder, r.Device)).ToList(), message);
        // Rank 0 logs the completions it samples (a sample of the run, as with one process).
        var log = parallel.IsWriter ? new CompletionLog(Path.Combine(output, "completions.jsonl"), append: resuming) : null;
        if (log is not null) owned.Add(log);
        var objective = new GrpoObjective(new RolloutSampler(tokenizer, rewards, options, reference, log), options, recipe.Seed, parallel);
        owned.Add(objective);
        return new StagePlan(data, objective, owned);
    }

    sealed class ModelReferenceHolder(CausalLM model) : IReferenceLogProbs
    {
        public CausalLM Model => model;
        public TorchSharp.torch.Tensor LogProbs(CausalLM policy, Batch batch) => new ModelReference(model).LogProbs(policy, batch);
    }

    /// <summary>A separate reference model is frozen: it is kept in the stage's compute dtype (train.precision).</summary>
    /// <summary>The frozen reference's dtype: model.dtype (auto: the folder's saved dtype) narrowed to the compute dtype.</summary>
    static TorchSharp.torch.ScalarType ReferenceDType(Recipe recipe, string folder, TorchSharp.torch.Device device) =>
        PrecisionPolicy.Resolve(recipe.Train.Precision, device)
            .ModelDType(DTypes.Resolve(recipe.Model.Dtype, Pharos.Models.Config.ConfigReader.ReadFolder(folder)), trainsBase: false);

    /// <summary>The folder of the separate reference model, or null when the reference is the policy with its adapters off.</summary>
    static string? ReferenceFolder(Recipe recipe, string refModel, CausalLM policy, bool holder = false)
    {
        if (refModel.Length == 0 && AdaptersDisabled.HasAdapters(policy) && !holder) return null;
        var path = refModel.Length > 0 ? refModel : recipe.Model.Path;
        if (path.Length == 0) throw new RecipeException("dpo.ref_model", "a model trained from scratch without LoRA needs a separate reference model folder");
        return path;
    }

    static IReferenceLogProbs Reference(Recipe recipe, string refModel, CausalLM policy, List<IDisposable> owned, Action<string> message, bool holder = false)
    {
        if (ReferenceFolder(recipe, refModel, policy, holder) is not string path)
        {
            message("reference model: the policy with its LoRA adapters switched off (no second copy)");
            return new AdapterOffReference();
        }
        message($"reference model: {path} (a separate frozen copy)");
        var model = ModelLoader.Load(path, policy.Device, ReferenceDType(recipe, path, policy.Device));
        model.ComputeDType = policy.ComputeDType;
        owned.Add(model);
        return holder ? new ModelReferenceHolder(model) : new ModelReference(model);
    }
}
