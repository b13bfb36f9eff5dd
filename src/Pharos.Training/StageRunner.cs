// Runs one recipe stage end to end: tokenizer, model (loaded or from scratch, optionally LoRA), data, the Trainer,
// then the final HF folder or PEFT adapter and a manifest.json describing inputs, counts and results. Under mpirun/srun
// every rank runs it: rank 0 tokenizes missing token shards first and the others then map the same shards, every rank
// builds the model, rank 0 alone writes files and reports progress.
using Pharos.IO;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pharos.Models;
using Pharos.Models.Errors;
using Pharos.Models.Loading;
using Pharos.Models.Transformer;
using Pharos.Training.Adapters;
using Pharos.Training.Adapters.SparseLora;
using Pharos.Training.Checkpoints;
using Pharos.Training.Datasets;
using Pharos.Training.Distributed;
using Pharos.Training.Logging;
using Pharos.Training.Objectives;
using Pharos.Training.Optimizers;
using Pharos.Training.Precision;
using Pharos.Training.Recipes;
using Pharos.Training.Tokenizer;
using static TorchSharp.torch;

namespace Pharos.Training;

public sealed record StageResult(TrainResult Train, double? EvalLossBefore, string Output, string? FinalModel, string? FinalAdapter,
    IReadOnlyList<MixShare> Mix, string BadRecords, string Metrics, string TensorBoard);

public static class StageRunner
{
    /// <param name="resume">null: fresh run; "latest": newest checkpoint under the output; else a checkpoint folder</param>
    /// <param name="group">the ranks of a multi-process run (null: this process alone)</param>
    public static StageResult Run(Recipe recipe, ITrainingObserver? observer = null, string? resume = null, bool evalBefore = false, IProcessGroup? group = null)
    {
        var parallel = group is null || group.Size == 1 ? DataParallel.None : new DataParallel(group, (long)(recipe.Train.BucketMb * 1048576));
        RecipeAgreement.Check(parallel.Group, recipe, resume);
        observer = parallel.IsWriter ? observer ?? NullObserver.Instance : NullObserver.Instance;
        int accumulation = GlobalBatch.MicroBatchesPerRank(recipe.Train, parallel.Size);
        var output = Path.GetFullPath(recipe.Output);
        var store = new CheckpointStore(Path.Combine(output, "checkpoints"), recipe.Train.KeepLast, writes: parallel.IsWriter);
        // Rank 0 decides which checkpoint to resume from and the others follow, so a checkpoint being written cannot split them.
        string? resumeFrom = null;
        if (parallel.IsWriter)
        {
            resumeFrom = resume switch
            {
                null => null,
                "latest" => store.Latest() ?? throw new PharosException($"{store.Folder}: no checkpoint to resume from"),
                _ => resume,
            };
            if (resumeFrom is null && store.Latest() is string existing)
                throw new PharosException($"{output} already has checkpoints ({Path.GetFileName(existing)}); pass --resume to continue, or choose another output");
            Directory.CreateDirectory(output);
        }
        if (parallel.Size > 1)
            resumeFrom = ProcessGroupText.AllGather(parallel.Group, resumeFrom ?? "")[0] is { Length: > 0 } chosen ? chosen : null;
        TorchSharp.torch.manual_seed(recipe.Seed);
        if (parallel.Size > 1)
            observer.Message($"{parallel.Size} ranks ({parallel.Group.Description}); global batch {recipe.Train.MicroBatchSize * accumulation * parallel.Size} rows "
                + $"= micro_batch_size {recipe.Train.MicroBatchSize} × {accumulation} micro-batches × {parallel.Size} ranks"
                + (recipe.Train.ShardOptimizer ? "; optimizer state sharded" : ""));

        var tokenizerFolder = recipe.Model.Tokenizer.Length > 0 ? recipe.Model.Tokenizer : recipe.Model.Path;
        var tokenizer = TokenizerLoader.Load(tokenizerFolder);
        var dtype = DTypes.Resolve(recipe.Model.Dtype, recipe.Model.Path.Length > 0 ? Pharos.Models.Config.ConfigReader.ReadFolder(recipe.Model.Path) : null);
        var device = RankDevice.For(DTypes.ParseDevice(recipe.Model.Device), parallel.Group.LocalRank);
        // One decision per stage: compute and master dtypes; the model is built in the dtype its weights need (float32
        // master weights when they train, the compute dtype for a frozen base).
        var precision = PrecisionPolicy.Resolve(recipe.Train.Precision, device);
        using var model = BuildModel(recipe, tokenizer, precision.ModelDType(dtype, trainsBase: recipe.AdapterKind == "full"), device);
        observer.Message($"precision {precision.Name}: {DTypes.ToConfigName(precision.Compute)} compute, {DTypes.ToConfigName(precision.Master)} master weights");
        // Process-wide in libtorch, so it holds for this stage only and the previous setting comes back after it.
        using var fp32Matmul = Fp32MatmulPrecision.Use(recipe.Train.Fp32Matmul);
        if (recipe.Train.Fp32Matmul != "ieee") observer.Message($"float32 matmuls through oneDNN (train.fp32_matmul {recipe.Train.Fp32Matmul})");
        if (tokenizer.VocabSize > model.Config.VocabSize)
            throw new PharosException($"tokenizer in {tokenizerFolder} has {tokenizer.VocabSize} ids but the model's vocab_size is {model.Config.VocabSize}");

        var rng = new Generator((ulong)recipe.Seed, device);
        LoraOptions? lora = null;
        SparseLoraContext? sparse = null;
        if (recipe.AdapterKind != "full")
        {
            lora = new LoraOptions { Rank = recipe.Lora.R, Alpha = recipe.Lora.Alpha, Dropout = recipe.Lora.Dropout, TargetModules = TargetModules.FromRecipe(recipe.Lora.TargetModules),
                UseRsLora = recipe.Lora.UseRslora, UseDora = recipe.Lora.UseDora };
            if (recipe.AdapterKind == "sparselora")
                sparse = InRankOrder(parallel, () => SparseLoraSetup.Attach(model, recipe.Model.Path.Length > 0 ? recipe.Model.Path : null, lora,
                    SparseLoraSetup.Options(recipe.Sparselora, model.Config, recipe.Train.MaxSteps), recipe.Seed, rng, observer.Message));
            else
                Lora.Apply(model, lora, recipe.Seed, rng);
        }

        if (recipe.Train.GradientCheckpointing)
            model.Checkpointing = new ActivationCheckpointing(sparse is null ? [new GeneratorReplay(rng)] : [new GeneratorReplay(rng), sparse]);

        using var bad = new BadRecords(parallel.IsWriter ? Path.Combine(output, "bad_records.jsonl") : null, recipe.Data.Strict);
        var sources = recipe.Data.Sources.Select((s, i) => new DataSource(s.Name.Length > 0 ? s.Name : $"source{i}", s.Paths, s.Share,
            s.Rehydration.Length > 0 ? s.Rehydration : null)).ToList();
        // cpt/sft read text or chat through the packing pipeline; dpo/grpo bring their own rows and objective.
        var plan = recipe.Stage switch
        {
            "dpo" => PreferenceStages.Dpo(recipe, model, tokenizer, sources, bad, output, observer.Message, parallel),
            "grpo" => PreferenceStages.Grpo(recipe, model, tokenizer, sources, bad, output, resumeFrom is not null, observer.Message, parallel),
            // Rank 0 makes the shards that are missing; the others wait, then find them done and only map them.
            _ => InRankOrder(parallel, () => CausalLmPlan(recipe, tokenizer, sources, bad, output, observer.Message)),
        };
        using var owned = new DisposeAll(plan.Owned);
        var data = plan.Data;
        // GRPO's eval would mean sampling: its progress is the reward in metrics.jsonl, not an eval loss.
        var evalRows = recipe.Stage == "grpo" ? [] : data.Eval;
        observer.Message($"{data.Train.Count} training rows of ≤{recipe.Data.SequenceLength} tokens, {data.Eval.Count} eval rows; {bad.Summary()}");

        var options = new TrainerOptions
        {
            MaxSteps = recipe.Train.MaxSteps, MicroBatchSize = recipe.Train.MicroBatchSize, GradientAccumulation = accumulation,
            ShardOptimizer = recipe.Train.ShardOptimizer,
            LearningRate = recipe.Train.Lr, WarmupSteps = recipe.Train.WarmupSteps, Schedule = LrSchedule.ParseShape(recipe.Train.Schedule),
            MinLrRatio = recipe.Train.MinLrRatio, WeightDecay = recipe.Train.WeightDecay, MaxGradNorm = recipe.Train.MaxGradNorm,
            EvalEvery = recipe.Train.EvalEvery, SaveEvery = recipe.Train.SaveEvery, KeepLast = recipe.Train.KeepLast, Seed = recipe.Seed,
            Precision = precision,
            Method = lora is null ? "full" : $"{recipe.AdapterKind}(r={lora.Rank}, alpha={lora.Alpha}, targets={lora.TargetModules}{(lora.UseDora ? ", dora" : "")})",
        };
        var metricsPath = Path.Combine(output, "metrics.jsonl");
        var tensorboard = Path.Combine(output, "tensorboard");
        using var jsonl = parallel.IsWriter ? new JsonlMetrics(metricsPath, append: resumeFrom is not null) : null;
        using var tb = parallel.IsWriter ? new TensorBoardMetrics(tensorboard) : null;
        IReadOnlyList<IMetricsSink> sinks = jsonl is null || tb is null ? [] : [jsonl, tb];
        IObjective objective = plan.Objective;
        if (sparse is not null) objective = new SparseLoraObjective(objective, sparse);
        var trainer = new Trainer(model, objective, options, store, sinks, observer, rng, tokenizer.PadId) { StepHook = sparse, Parallel = parallel };
        double? before = evalBefore && evalRows.Count > 0 && resumeFrom is null ? trainer.EvalLoss(evalRows) : null;
        var result = trainer.Run(data.Train, evalRows, resumeFrom);

        string? finalModel = null, finalAdapter = null;
        if (lora is not null)
        {
            finalAdapter = Path.Combine(output, "adapter");
            if (parallel.IsWriter) PeftFormat.Save(model, finalAdapter, lora, recipe.Model.Path.Length > 0 ? recipe.Model.Path : null);
            if (recipe.Train.MergeAdapter) finalModel = parallel.IsWriter ? SaveMerged(recipe, model, finalAdapter, tokenizerFolder, output, dtype) : Path.Combine(output, "model");
        }
        else
        {
            finalModel = Path.Combine(output, "model");
            if (parallel.IsWriter)
            {
                ModelSaver.Save(model, finalModel);
                TokenizerLoader.CopyFiles(tokenizerFolder, finalModel);
            }
        }
        if (parallel.IsWriter) WriteManifest(recipe, output, data, bad, result, before, finalModel, finalAdapter, parallel.Size, precision);
        // The next stage of a chain reads what rank 0 just wrote.
        parallel.Group.Barrier();
        return new StageResult(result, before, output, finalModel, finalAdapter, data.Mix, bad.Summary(), metricsPath, tensorboard);
    }

    /// <summary>Runs <paramref name="body"/> on rank 0 first and on the others after it, so what rank 0 writes (token
    /// shards, SparseLoRA's estimator next to the model) is read by the others instead of written by all at once.</summary>
    static T InRankOrder<T>(DataParallel parallel, Func<T> body)
    {
        if (parallel.Size == 1) return body();
        T result = parallel.IsWriter ? body() : default!;
        parallel.Group.Barrier();
        return parallel.IsWriter ? result : body();
    }

    /// <summary>cpt/sft: rows streamed from token shards (made on first use, under data.shards or OUTPUT/shards).</summary>
    static StagePlan CausalLmPlan(Recipe recipe, ITextTokenizer tokenizer, IReadOnlyList<DataSource> sources, BadRecords bad, string output, Action<string> message)
    {
        var shards = recipe.Data.Shards.Length > 0 ? recipe.Data.Shards : Path.Combine(output, "shards");
        var data = DataPipeline.Build(sources, tokenizer, shards, recipe.Data.SequenceLength, recipe.Stage == "cpt", recipe.Seed, bad,
            recipe.Data.EvalFraction, recipe.Data.EvalMax, recipe.Data.Pack, message,
            recipe.Data.ShareBy switch { "tokens" => true, "examples" => false, _ => null }, recipe.Data.TokenizeWorkers);
        return new StagePlan(data, new CausalLmObjective(recipe.Stage), data.Resources is null ? [] : [data.Resources]);
    }

    static CausalLM BuildModel(Recipe recipe, ITextTokenizer tokenizer, ScalarType dtype, Device device)
    {
        return recipe.Model.Path.Length > 0 ? ModelLoader.Load(recipe.Model.Path, device, dtype)
            : NewModel.Create(recipe.Model.New!, tokenizer, recipe.Seed, dtype, device);
    }

    static string SaveMerged(Recipe recipe, CausalLM trained, string adapter, string tokenizerFolder, string output, ScalarType dtype)
    {
        var folder = Path.Combine(output, "model");
        using var plain = recipe.Model.Path.Length > 0 ? ModelLoader.Load(recipe.Model.Path, CPU, dtype) : throw new PharosException("merge_adapter needs model.path");
        PeftFormat.Merge(plain, adapter);
        ModelSaver.Save(plain, folder);
        TokenizerLoader.CopyFiles(tokenizerFolder, folder);
        return folder;
    }

    static void WriteManifest(Recipe recipe, string output, TrainingData data, BadRecords bad, TrainResult result, double? before, string? model, string? adapter, int ranks,
        PrecisionPolicy precision)
    {
        var manifest = new JsonObject
        {
            ["pharos_version"] = typeof(StageRunner).Assembly.GetName().Version?.ToString(),
            ["stage"] = recipe.Stage,
            ["precision"] = precision.Name,
            // tcmalloc or glibc's malloc: a run's speed depends on it (Pharos.Models.NativeAllocator), so its timings can be read.
            ["allocator"] = NativeAllocator.Describe(),
            ["recipe"] = JsonSerializer.SerializeToNode(recipe, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }),
            ["inputs"] = new JsonArray(recipe.Data.Sources.SelectMany(s => s.Paths).Select(p => (JsonNode)JsonValue.Create(Path.GetFullPath(p))).ToArray()),
            ["train_rows"] = data.Train.Count,
            ["eval_rows"] = data.Eval.Count,
            ["train_target_tokens"] = data.TrainTargetTokens,
            ["mix"] = new JsonArray(data.Mix.Select(m => (JsonNode)new JsonObject
            {
                ["name"] = m.Name, ["requested_share"] = m.RequestedShare, ["examples"] = m.Examples,
                ["example_share"] = m.ExampleShare, ["token_share"] = m.TokenShare, ["passes"] = m.Passes,
            }).ToArray()),
            ["bad_records"] = JsonSerializer.SerializeToNode(bad.Counts),
            ["steps"] = result.Steps,
            ["ranks"] = ranks,
            ["tokens"] = result.Tokens,
            ["final_loss"] = double.IsFinite(result.LastLoss) ? result.LastLoss : null, // NaN when a resume found nothing left to do
            ["eval_loss_before"] = before,
            ["eval_loss"] = result.EvalLoss,
            ["model"] = model,
            ["adapter"] = adapter,
        };
        AtomicFile.WriteAllText(Path.Combine(output, "manifest.json"), manifest.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

    sealed class DisposeAll(IReadOnlyList<IDisposable> items) : IDisposable
    {
        public void Dispose()
        {
            foreach (var i in items) i.Dispose();
        }
    }
}
