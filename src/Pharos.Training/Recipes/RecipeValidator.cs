// Checks a bound recipe's values (ranges, choices, required pieces) and names the key of the first bad one.
namespace Pharos.Training.Recipes;

public static class RecipeValidator
{
    static readonly string[] Stages = ["cpt", "sft", "dpo", "grpo"];
    static readonly string[] Schedules = ["cosine", "linear", "constant"];
    static readonly string[] DTypes = ["float32", "bfloat16", "float16", "auto"];

    public static void Validate(Recipe r)
    {
        OneOf("stage", r.Stage, Stages);
        OneOf("train.schedule", r.Train.Schedule, Schedules);
        OneOf("model.dtype", r.Model.Dtype, DTypes);
        OneOf("train.precision", r.Train.Precision.ToLowerInvariant(), Precision.PrecisionPolicy.Settings);
        OneOf("train.fp32_matmul", r.Train.Fp32Matmul, Pharos.Models.Fp32MatmulPrecision.Names);
        OneOf("data.share_by", r.Data.ShareBy, ["auto", "tokens", "examples"]);
        Positive("train.max_steps", r.Train.MaxSteps);
        Positive("train.micro_batch_size", r.Train.MicroBatchSize);
        Positive("train.gradient_accumulation", r.Train.GradientAccumulation);
        Positive("data.sequence_length", r.Data.SequenceLength);
        NotNegative("train.global_batch_size", r.Train.GlobalBatchSize);
        if (!(r.Train.BucketMb > 0) || double.IsInfinity(r.Train.BucketMb)) throw new RecipeException("train.bucket_mb", $"must be a positive number (got {r.Train.BucketMb})");
        if (r.Train.GlobalBatchSize % r.Train.MicroBatchSize != 0)
            throw new RecipeException("train.global_batch_size", $"{r.Train.GlobalBatchSize} is not a multiple of train.micro_batch_size ({r.Train.MicroBatchSize})");
        Positive("train.keep_last", r.Train.KeepLast);
        if (!(r.Train.Lr > 0) || double.IsInfinity(r.Train.Lr)) throw new RecipeException("train.lr", $"must be a positive number (got {r.Train.Lr})");
        NotNegative("train.warmup_steps", r.Train.WarmupSteps);
        NotNegative("train.eval_every", r.Train.EvalEvery);
        NotNegative("train.save_every", r.Train.SaveEvery);
        NotNegative("train.weight_decay", r.Train.WeightDecay);
        NotNegative("train.max_grad_norm", r.Train.MaxGradNorm);
        if (r.Train.MinLrRatio is < 0 or > 1) throw new RecipeException("train.min_lr_ratio", $"must be between 0 and 1 (got {r.Train.MinLrRatio})");
        if (r.Data.EvalFraction is < 0 or >= 1) throw new RecipeException("data.eval_fraction", $"must be in [0, 1) (got {r.Data.EvalFraction})");
        if (string.IsNullOrEmpty(r.Model.Path) && r.Model.New is null)
            throw new RecipeException("model.path", "give a Hugging Face model folder, or model.new to build one from scratch");
        if (string.IsNullOrEmpty(r.Model.Path) && string.IsNullOrEmpty(r.Model.Tokenizer))
            throw new RecipeException("model.tokenizer", "a model built from scratch needs a tokenizer folder");
        if (r.Model.New is { } n)
        {
            OneOf("model.new.family", n.Family, ["llama", "qwen2", "gemma2"]);
            Positive("model.new.hidden_size", n.HiddenSize);
            Positive("model.new.num_layers", n.NumLayers);
            Positive("model.new.head_dim", n.HeadDim);
        }
        if (r.Data.Sources.Count == 0) throw new RecipeException("data.sources", "needs at least one source (name, paths, share)");
        for (int i = 0; i < r.Data.Sources.Count; i++)
        {
            var s = r.Data.Sources[i];
            if (s.Paths.Count == 0) throw new RecipeException($"data.sources[{i}].paths", "needs at least one file");
            if (!(s.Share > 0)) throw new RecipeException($"data.sources[{i}].share", $"must be positive (got {s.Share})");
            if (s.Rehydration.Length > 0 && !File.Exists(s.Rehydration))
                throw new RecipeException($"data.sources[{i}].rehydration", $"{s.Rehydration} does not exist (write it with `pharos curate rehydrate`)");
        }
        if (r.Stage == "dpo") PreferenceValidator.Dpo(r.Dpo);
        if (r.Stage == "grpo") PreferenceValidator.Grpo(r.Grpo);
        OneOf("adapter", r.AdapterKind, ["full", "lora", "sparselora"]);
        if (r.AdapterKind == "sparselora")
        {
            var sl = r.Sparselora;
            OneOf("sparselora.preset", sl.Preset, ["none", "conservative", "aggressive"]);
            Positive("sparselora.rank", sl.Rank);
            if (sl.StartStep < -1) throw new RecipeException("sparselora.start_step", $"must be -1 (5% of max_steps) or a step (got {sl.StartStep})");
            if (sl.EndStep < -1) throw new RecipeException("sparselora.end_step", $"must be -1 (never) or a step (got {sl.EndStep})");
            foreach (var (layer, values) in sl.Layers)
            {
                if (!int.TryParse(layer, out var index) || index < 0) throw new RecipeException($"sparselora.layers.{layer}", "layer keys are layer indices (0, 1, …)");
                foreach (var (name, v) in new[] { ("mlp", values.Mlp), ("self_attn", values.SelfAttn) })
                    if (v is < 0 or >= 1) throw new RecipeException($"sparselora.layers.{layer}.{name}", $"sparsity must be in [0, 1) (got {v})");
            }
        }
        if (r.AdapterKind != "full")
        {
            Positive("lora.r", r.Lora.R);
            if (!(r.Lora.Alpha > 0)) throw new RecipeException("lora.alpha", $"must be positive (got {r.Lora.Alpha})");
            if (r.Lora.Dropout is < 0 or >= 1) throw new RecipeException("lora.dropout", $"must be in [0, 1) (got {r.Lora.Dropout})");
            if (r.Lora.TargetModules.Count == 0) throw new RecipeException("lora.target_modules", "needs at least one module name");
            try
            {
                Adapters.TargetModules.FromRecipe(r.Lora.TargetModules);
            }
            catch (Pharos.Models.Errors.PharosException e)
            {
                throw new RecipeException("lora.target_modules", e.Message.Replace("lora.target_modules: ", "", StringComparison.Ordinal));
            }
            if (r.Lora.UseDora && r.AdapterKind == "sparselora")
                throw new RecipeException("lora.use_dora", "DoRA rescales whole weight rows, which SparseLoRA's sliced base projection does not compute; use adapter: lora");
        }
    }

    static void OneOf(string key, string value, string[] allowed)
    {
        if (!allowed.Contains(value)) throw new RecipeException(key, $"'{value}' is not one of {string.Join(", ", allowed)}");
    }

    static void Positive(string key, int value)
    {
        if (value <= 0) throw new RecipeException(key, $"must be positive (got {value})");
    }

    static void NotNegative(string key, double value)
    {
        if (value < 0 || double.IsNaN(value)) throw new RecipeException(key, $"must not be negative (got {value})");
    }
}
