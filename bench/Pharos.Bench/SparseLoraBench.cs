// `sparselora`: LoRA vs SparseLoRA (aggressive, conservative) training steps on a ~110M Llama and a ~113M Gemma 2 at seq ≥ 512,
// iterations interleaved (the machine is shared) and the best of several kept: step time, tokens/s, realised FLOP reduction,
// speedup_vs_lora, and where a SparseLoRA step's time goes (channel choice, sliced projections, rest of forward, backward).
// --precision bf16: every arm under train.precision bf16 (a bf16 frozen base, float32 LoRA factors, bf16 compute).
using System.Diagnostics;
using Pharos.Models.Config;
using Pharos.Models.Loading;
using Pharos.Models.Transformer;
using Pharos.Training.Adapters;
using Pharos.Training.Adapters.SparseLora;
using Pharos.Training.Datasets;
using Pharos.Training.Objectives;
using Pharos.Training.Optimizers;
using Pharos.Training.Precision;
using static TorchSharp.torch;

namespace Pharos.Bench;

internal static class SparseLoraBench
{
    public const string Description = "LoRA vs SparseLoRA (aggressive/conservative) step time, FLOP reduction, speedup on ~110M Llama and Gemma 2 [--precision bf16]; --llama3-8b: LoRA vs the aggressive preset on a Llama-3-8B-shaped bf16 model (needs ~19 GB; --malloc system [--mmap-threshold BYTES]: on glibc's malloc)";

    public const string Gemma2_113M = """
        {"architectures": ["Gemma2ForCausalLM"], "model_type": "gemma2", "vocab_size": 32000, "hidden_size": 768,
         "intermediate_size": 3072, "num_hidden_layers": 10, "num_attention_heads": 8, "num_key_value_heads": 4, "head_dim": 96,
         "hidden_activation": "gelu_pytorch_tanh", "query_pre_attn_scalar": 96, "attn_logit_softcapping": 50.0,
         "final_logit_softcapping": 30.0, "sliding_window": 4096, "max_position_embeddings": 2048, "rms_norm_eps": 1e-6,
         "rope_theta": 10000.0, "tie_word_embeddings": true, "bos_token_id": 2, "eos_token_id": 1, "pad_token_id": 0}
        """;

    /// <summary>Llama-3-8B's proportions scaled down to ~125M parameters: 32 layers, MLP 3.5x hidden, 4 query heads per KV head,
    /// head_dim 64, so the presets' dense share (first 3 / last 2 layers, attention in the first half) and the MLP's share of
    /// the projection FLOPs (81%) are the paper model's.</summary>
    public const string Llama125M_8BShape = """
        {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "vocab_size": 32000, "hidden_size": 512,
         "intermediate_size": 1792, "num_hidden_layers": 32, "num_attention_heads": 8, "num_key_value_heads": 2,
         "max_position_embeddings": 2048, "rms_norm_eps": 1e-5, "rope_theta": 500000.0, "tie_word_embeddings": true,
         "bos_token_id": 1, "eos_token_id": 2}
        """;

    sealed class Arm(string name, CausalLM model, SparseLoraContext? context, IObjective objective, AdamW optimizer) : IDisposable
    {
        public string Name => name;
        public CausalLM Model => model;
        public SparseLoraContext? Context => context;
        public readonly List<(double Step, double Forward, double Select, double Project, double Cpu)> Times = [];
        public double DenseFlops, ActualFlops;

        public void Step(Batch batch)
        {
            if (context is not null) { context.ResetFlops(); context.SelectTime = context.ProjectTime = TimeSpan.Zero; }
            var process = Process.GetCurrentProcess();
            var cpuBefore = process.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            double forward;
            using (var scope = NewDisposeScope())
            {
                var output = objective.Loss(model, batch);
                var loss = output.LossSum / output.Units;
                forward = clock.Elapsed.TotalSeconds;
                loss.backward();
            }
            optimizer.Update(1e-4);
            optimizer.ZeroGrad();
            process.Refresh();
            // CPU seconds of this process: on a shared machine they inflate far less than wall time when other jobs take the cores.
            Times.Add((clock.Elapsed.TotalSeconds, forward, context?.SelectTime.TotalSeconds ?? 0, context?.ProjectTime.TotalSeconds ?? 0,
                (process.TotalProcessorTime - cpuBefore).TotalSeconds));
            if (context is not null) (DenseFlops, ActualFlops) = context.Flops;
        }

        public void Dispose() { optimizer.Dispose(); model.Dispose(); }
    }

    public static int Run(string[] args)
    {
        if (args.Contains("--llama3-8b") || args.Contains("--probe-llama3-8b")) return SparseLoraAtScale.Run(args);
        int batch = BenchArgs.Int(args, "--batch", 2), seq = BenchArgs.Int(args, "--seq", 512), iters = BenchArgs.Int(args, "--iters", 3);
        double answer = BenchArgs.Int(args, "--answer-percent", 25) / 100.0;
        // --deep-only: the 32-layer Llama with Llama-3-8B's proportions (not in the default run).
        var models = args.Contains("--llama-only") ? ["llama"] : args.Contains("--gemma-only") ? ["gemma2"]
            : args.Contains("--deep-only") ? new[] { "llama-8b-shape" } : ["llama", "gemma2"];
        var precision = PrecisionPolicy.Resolve(BenchArgs.String(args, "--precision", "fp32"), CPU);
        Console.WriteLine($"sparselora: {precision.Name}, batch {batch} x {seq}, last {answer:P0} of each row answer tokens (dense), LoRA r=16 all linear, " +
            $"best of {iters} interleaved steps after 1 warm-up, {get_num_threads()} threads, load {BenchLoad.Now()}");
        double peak = MatmulPeak.GFlops(dtype: precision.Compute);
        Console.WriteLine($"matmul_peak_gflops={peak:F1}");
        foreach (var family in models)
        {
            using var bench = BenchModels.Create(family switch { "llama" => BenchModels.Llama110M, "gemma2" => Gemma2_113M, _ => Llama125M_8BShape });
            RunModel(family, bench.Folder, precision, batch, seq, iters, answer, args.Contains("--sparse-branch"), args.Contains("--uncapped"));
        }
        return 0;
    }

    static void RunModel(string family, string folder, PrecisionPolicy precision, int batchSize, int seq, int iters, double answer, bool sparseBranch, bool uncapped)
    {
        var config = ConfigReader.ReadFolder(folder);
        var rng = new Random(1);
        // --answer-percent 0: CPT-shaped (every token has a loss) with dense_output_tokens off, so every token is sparse.
        bool allSparse = answer == 0;
        int answerFrom = allSparse ? 0 : (int)Math.Round(seq * (1 - answer));
        var rows = Enumerable.Range(0, batchSize).Select(_ => new PackedSequence(
            Enumerable.Range(0, seq).Select(_ => rng.Next(3, config.VocabSize)).ToArray(),
            Enumerable.Range(0, seq).Select(i => i >= answerFrom).ToArray(), new int[seq], Enumerable.Range(0, seq).ToArray())).ToList();
        using var batch = BatchBuilder.Build(rows, 0, CPU);
        var lora = new LoraOptions { Rank = 16, Alpha = 32, Dropout = 0 };
        var estimatorClock = Stopwatch.StartNew();
        Dictionary<string, LowRankFactors> estimators;
        using (var probe = ModelLoader.Load(folder))
            estimators = EstimatorCache.LoadOrCompute(probe, folder, 8);
        double estimatorSeconds = estimatorClock.Elapsed.TotalSeconds;
        var arms = new List<Arm>();
        // --sparse-branch adds an aggressive arm whose LoRA branch is sliced too (sparse_lora_branch: true); --uncapped one with the
        // paper's fractions as they are (no width cap: what the aggressive preset was before the cap).
        string[] names = ["lora", "conservative", "aggressive", .. sparseBranch ? ["aggressive+branch"] : Array.Empty<string>(),
            .. uncapped ? ["aggressive+uncapped"] : Array.Empty<string>()];
        foreach (var name in names)
        {
            var model = ModelLoader.Load(folder, CPU, precision.ModelDType(float32, trainsBase: false));
            SparseLoraContext? context = null;
            IObjective objective = new CausalLmObjective();
            if (name == "lora") Lora.Apply(model, lora, seed: 0);
            else
            {
                // Widths no model has leave the preset's fractions uncapped.
                var schedule = name.EndsWith("+uncapped", StringComparison.Ordinal)
                    ? SparsitySchedule.Preset("aggressive", config.NumLayers, int.MaxValue, int.MaxValue)
                    : SparsitySchedule.Preset(name.Split('+')[0], config.NumLayers, config.IntermediateSize, config.HeadDim);
                Console.WriteLine($"[{family}] {name}: sparsity per layer (mlp/attention) {schedule}");
                context = SparseLora.Apply(model, lora, new SparseLoraOptions
                {
                    Schedule = schedule, DenseOutputTokens = !allSparse,
                    SparseLoraBranch = name.EndsWith("+branch", StringComparison.Ordinal),
                }, estimators, seed: 0);
                context.Profile = true;
                objective = new SparseLoraObjective(objective, context);
            }
            model.train();
            precision.Apply(model);
            var trainable = model.named_parameters().Where(p => p.parameter.requires_grad).Select(p => (p.name, p.parameter)).ToList();
            arms.Add(new Arm(name, model, context, objective, new AdamW(trainable)));
        }
        try
        {
            for (int i = 0; i <= iters; i++)
                foreach (var arm in arms) arm.Step(batch);
            long tokens = (long)batchSize * seq;
            // Dense forward FLOPs outside the adapted projections: attention's T×T products and the LM head on answer rows.
            double other = 2.0 * 2 * config.NumLayers * (double)config.NumHeads * config.HeadDim * seq * seq * batchSize
                + 2.0 * config.HiddenSize * config.VocabSize * batchSize * (seq - answerFrom);
            var best = arms.ToDictionary(a => a.Name, a => a.Times.Skip(1).MinBy(t => t.Step));
            double loraStep = best["lora"].Step, loraCpu = arms[0].Times.Skip(1).Min(t => t.Cpu);
            Console.WriteLine($"[{family}] {config.NumLayers} layers, hidden {config.HiddenSize}, intermediate {config.IntermediateSize}, " +
                $"{config.NumHeads}/{config.NumKvHeads} heads; estimator (rank 8, SVD) {estimatorSeconds:F1} s once");
            foreach (var arm in arms)
            {
                var t = best[arm.Name];
                string flops = "";
                if (arm.Context is not null)
                {
                    double projection = arm.DenseFlops / arm.ActualFlops;
                    double model = (arm.DenseFlops + other) / (arm.ActualFlops + other);
                    flops = $" flop_reduction_projections={projection:F2}x flop_reduction_model={model:F2}x";
                }
                double cpu = arm.Times.Skip(1).Min(x => x.Cpu);
                Console.WriteLine($"[{family}] {arm.Name}: step_s={t.Step:F3} tokens_per_s={tokens / t.Step:F0}{flops} speedup_vs_lora={loraStep / t.Step:F2} " +
                    $"cpu_s={cpu:F3} speedup_vs_lora_cpu={loraCpu / cpu:F2}");
                Console.WriteLine($"[{family}] {arm.Name}: breakdown forward_s={t.Forward:F3} (channel_choice_s={t.Select:F3} sliced_projections_s={t.Project:F3} " +
                    $"rest_s={t.Forward - t.Select - t.Project:F3}) backward_and_update_s={t.Step - t.Forward:F3}; all steps {string.Join(" ", arm.Times.Select(x => x.Step.ToString("F2")))}");
            }
        }
        finally
        {
            foreach (var arm in arms) arm.Dispose();
        }
    }
}
