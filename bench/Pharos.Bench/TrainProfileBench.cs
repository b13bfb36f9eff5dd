// `train-profile`: where one training step of the ~110M Llama (batch 4 × 256, as `train`) spends its time, Pharos alone:
// the step split into its phases (decoder forward, LM-head loss with its gradients, backward, clipping + AdamW), and the
// same step's matmuls (every GEMM of the forward and backward, same shapes and dtype) timed on their own, so the step
// reads as "matmuls" against "everything else". Phases are taken from the Trainer's own pieces, in the Trainer's order.
using System.Diagnostics;
using Pharos.Models.Loading;
using Pharos.Training.Adapters;
using Pharos.Training.Datasets;
using Pharos.Training.Objectives;
using Pharos.Training.Optimizers;
using Pharos.Training.Precision;
using static TorchSharp.torch;

namespace Pharos.Bench;

internal static class TrainProfileBench
{
    public const string Description = "one LoRA / full training step of the ~110M Llama split into phases, and its matmuls alone [--precision bf16] [--steps N] [--methods lora,full] [--batch N] [--fp32-matmul ieee|bf16] [--ab: fused training paths off/on] [--ab-attention: the training attention kernel off/on] [--ab-threads: kernels on their own threads / on libtorch's OpenMP team] [--gemm-shapes: each GEMM shape alone] [--phases-only] [--lm-head: the LM-head loss alone at a 256k vocabulary, --vocab --hidden --rows; --logprobs [--plain]: DPO/GRPO's token log-probs instead]";

    public static int Run(string[] args)
    {
        if (args.Contains("--lm-head")) return LmHeadLoss(args);
        int batch = BenchArgs.Int(args, "--batch", 4), seq = BenchArgs.Int(args, "--seq", 256), steps = BenchArgs.Int(args, "--steps", 5);
        var precision = PrecisionPolicy.Resolve(BenchArgs.String(args, "--precision", "bf16"), CPU);
        var methods = BenchArgs.String(args, "--methods", "lora,full").Split(',');
        // As `train`: Pharos's float32 matmuls through libtorch's BLAS (`ieee`) or oneDNN (`bf16`, train.fp32_matmul).
        string fp32Matmul = BenchArgs.String(args, "--fp32-matmul", "ieee");
        using var fp32MatmulScope = Pharos.Models.Fp32MatmulPrecision.Use(fp32Matmul);
        Console.WriteLine($"train-profile: Llama ~110M, batch {batch} x {seq}, {precision.Name}, best of {steps} steps after 1 warm-up, {get_num_threads()} threads, " +
            $"fp32_matmul {fp32Matmul}, load {BenchLoad.Now()}");
        using var bench = BenchModels.Create(BenchModels.Llama110M);
        var ids = BenchModels.WriteIds(bench, "ids.bin", batch * seq, seed: 1);
        var rows = TrainBench.Rows(ids, batch, seq);
        if (args.Contains("--micro")) return Micro(steps);
        if (args.Contains("--gemm-shapes")) return GemmShapes(bench.Model.Config, batch * seq, precision.Compute, steps);
        bool ab = args.Contains("--ab"), abAttention = args.Contains("--ab-attention"), abThreads = args.Contains("--ab-threads");
        foreach (var method in methods)
        {
            if (ab || abAttention || abThreads)
            {
                // Pharos's fused training paths (or only its attention kernel, or the OpenMP team for its kernels) off and
                // on, alternating step by step on the same model.
                var toggle = abThreads ? Toggle.OpenMpThreads : abAttention ? Toggle.Attention : Toggle.Kernels;
                var both = Phases(bench.Folder, rows, method, precision, steps, [false, true], toggle);
                for (int v = 0; v < 2; v++)
                {
                    double t = both[v].Values.Sum();
                    Console.WriteLine($"{precision.Name} {method} {toggle} {(v == 1 ? "on " : "off")}: step_s={t:F3} tokens_per_s={batch * seq / t:F0}  " +
                        string.Join("  ", both[v].Select(p => $"{p.Key}={p.Value * 1000:F0}ms")));
                }
                Console.WriteLine($"{precision.Name} {method}: on/off speed-up {both[0].Values.Sum() / both[1].Values.Sum():F3}");
                continue;
            }
            var phases = Phases(bench.Folder, rows, method, precision, steps, [Pharos.Models.Kernels.TrainingKernels.Enabled])[0];
            double total = phases.Values.Sum();
            Console.WriteLine($"{precision.Name} {method}: step_s={total:F3} (best per phase) tokens_per_s={batch * seq / total:F0}");
            foreach (var (name, s) in phases) Console.WriteLine($"  {name,-22} {s * 1000,8:F1} ms  {s / total,5:P0}");
            // --phases-only leaves the matmuls out, so that a profiler attached to the run sees the steps alone.
            if (args.Contains("--phases-only")) continue;
            double matmuls = MatmulSeconds(bench.Model.Config, batch * seq, seq, method, precision.Compute, steps);
            Console.WriteLine($"  {"matmuls alone",-22} {matmuls * 1000,8:F1} ms  {matmuls / total,5:P0}  (every GEMM of the step, same shapes, timed apart)");
            Console.WriteLine($"  {"everything else",-22} {(total - matmuls) * 1000,8:F1} ms  {(total - matmuls) / total,5:P0}");
        }
        return 0;
    }

    /// <summary>`--lm-head`: the LM-head loss alone (forward, cross-entropy and its gradients, backward) of a tied float32 output
    /// weight under bf16 compute — full fine-tuning's case — at a large vocabulary (Gemma 2's 256k by default) and one
    /// layer, in chunks of 512 rows as the Trainer does: time, share of the bf16 matmul peak, page faults and peak RSS.</summary>
    static int LmHeadLoss(string[] args)
    {
        long vocab = BenchArgs.Int(args, "--vocab", 256000), hidden = BenchArgs.Int(args, "--hidden", 2304), rows = BenchArgs.Int(args, "--rows", 2048);
        int reps = BenchArgs.Int(args, "--steps", 3);
        bool logprobs = args.Contains("--logprobs"), plain = args.Contains("--plain");
        var cfg = Pharos.Models.Config.ConfigReader.Parse($$"""
            {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "vocab_size": {{vocab}}, "hidden_size": {{hidden}},
             "intermediate_size": 256, "num_hidden_layers": 1, "num_attention_heads": 8, "num_key_value_heads": 8,
             "max_position_embeddings": 2048, "rms_norm_eps": 1e-5, "rope_theta": 10000.0, "tie_word_embeddings": true}
            """);
        using var model = new Pharos.Models.Transformer.CausalLM(cfg, float32, CPU);
        using (no_grad()) model.OutputWeight.normal_(0, 0.02);
        model.ComputeDType = bfloat16;
        double peak = MatmulPeak.GFlops(dtype: bfloat16), flops = 3 * 2.0 * rows * hidden * vocab;
        if (logprobs && !plain) flops *= 4.0 / 3; // the chunked path recomputes the logits in the backward pass (the plain one does not)
        Console.WriteLine($"train-profile --lm-head{(logprobs ? plain ? " --logprobs --plain" : " --logprobs" : "")}: vocab {vocab}, hidden {hidden}, {rows} rows in chunks of 512, float32 tied weight, bf16 compute, " +
            $"{get_num_threads()} threads, bf16 peak {peak:F0} GFLOP/s, load {BenchLoad.Now()}");
        var gen = new Generator(1);
        for (int i = 0; i < reps; i++)
        {
            using var scope = NewDisposeScope();
            model.OutputWeight.grad = null;
            var x = randn([rows, hidden], dtype: bfloat16, generator: gen).requires_grad_(true);
            var targets = randint(0, vocab, [rows], generator: gen);
            long faults = SelfProbe.MinorFaults();
            var sw = Stopwatch.StartNew();
            if (!logprobs) (Pharos.Training.Objectives.ChunkedLmHeadLoss.Sum(model, x, targets, 512) / rows).backward();
            else
            {
                // DPO/GRPO's token log-probs with an upstream gradient, chunked (recomputed in backward) or as autograd over
                // the whole [rows, vocab] log-softmax.
                var upstream = randn([rows], generator: gen);
                var logp = plain ? model.Logits(x).to(float32).log_softmax(-1).gather(1, targets.unsqueeze(1)).squeeze(1)
                    : Pharos.Training.Objectives.ChunkedTokenLogProbs.Compute(model, x, targets, 512, recomputeAboveBytes: 0);
                (logp * upstream).sum().backward();
            }
            double s = sw.Elapsed.TotalSeconds;
            Console.WriteLine($"lm_head_loss_s={s:F2} share_of_peak={flops / s / 1e9 / peak:P0} minor_faults={SelfProbe.MinorFaults() - faults} " +
                $"peak_rss_mb={SelfProbe.PeakRssMb():F0}");
        }
        return 0;
    }

    /// <summary>Best time of each phase per variant (the fused training paths off or on), the variants taking turns step by
    /// step on one model so that both see the same machine.</summary>
    enum Toggle { Kernels, Attention, OpenMpThreads }

    static List<Dictionary<string, double>> Phases(string folder, List<PackedSequence> rows, string method, PrecisionPolicy precision, int steps, bool[] variants,
        Toggle toggle = Toggle.Kernels)
    {
        using var model = ModelLoader.Load(folder, CPU, precision.ModelDType(float32, trainsBase: method == "full"));
        if (method == "lora") Lora.Apply(model, new LoraOptions { Rank = 16, Alpha = 32, Dropout = 0 }, seed: 0);
        precision.Apply(model);
        var trainable = model.named_parameters().Where(p => p.parameter.requires_grad).Select(p => (p.name, p.parameter)).ToList();
        using var optimizer = new AdamW(trainable);
        using var batch = BatchBuilder.Build(rows, 0, CPU);
        model.train();
        var best = variants.Select(_ => new Dictionary<string, double>()).ToList();
        var faultsPerStep = variants.Select(_ => long.MaxValue).ToArray();
        var rss = variants.Select(_ => new List<double>()).ToArray();
        var wholeSteps = variants.Select(_ => new List<double>()).ToArray();
        bool saved = Pharos.Models.Kernels.TrainingKernels.Enabled, savedAttention = Pharos.Models.Kernels.AttentionTrainingKernel.Enabled,
            savedThreads = Pharos.Models.Kernels.KernelPool.OnOpenMpThreads;
        try
        {
            for (int step = 0; step < (steps + 1) * variants.Length; step++)
            {
                int v = step % variants.Length;
                if (toggle == Toggle.Attention) Pharos.Models.Kernels.AttentionTrainingKernel.Enabled = variants[v];
                else if (toggle == Toggle.OpenMpThreads) Pharos.Models.Kernels.KernelPool.OnOpenMpThreads = variants[v];
                else Pharos.Models.Kernels.TrainingKernels.Enabled = variants[v];
                bool warmUp = step < variants.Length;
                void Time(string name, Action action)
                {
                    var sw = Stopwatch.StartNew();
                    action();
                    double s = sw.Elapsed.TotalSeconds;
                    if (!warmUp) best[v][name] = best[v].TryGetValue(name, out var b) ? Math.Min(b, s) : s;
                }
                using var scope = NewDisposeScope();
                long faults = SelfProbe.MinorFaults();
                var whole = Stopwatch.StartNew();
                Tensor hidden = null!, loss = null!;
                Time("decoder forward", () => hidden = model.Hidden(batch.InputIds, positionIds: batch.PositionIds, documentIds: batch.DocumentIds));
                Time("lm-head loss (+grads)", () =>
                {
                    var labels = batch.Labels.reshape(-1);
                    var sel = labels.ne(Batch.IgnoreIndex).nonzero().squeeze(1);
                    loss = ChunkedLmHeadLoss.Sum(model, hidden.reshape(-1, hidden.shape[^1]).index_select(0, sel), labels.index_select(0, sel),
                        ChunkedLmHeadLoss.DefaultChunkRows(model.Config.VocabSize)) / batch.TargetTokens;
                });
                Time("backward", () => loss.backward());
                Time("clip + adamw", () => optimizer.Apply(1e-4, 1.0));
                // Pages the step touched for the first time (fresh allocations the kernel zeroes), fewest over the steps; and the
                // resident memory after it, to see whether an allocator setting makes it creep up.
                faults = SelfProbe.MinorFaults() - faults;
                if (!warmUp) faultsPerStep[v] = Math.Min(faultsPerStep[v], faults);
                if (!warmUp) rss[v].Add(SelfProbe.RssMb());
                if (!warmUp) wholeSteps[v].Add(whole.Elapsed.TotalSeconds);
            }
        }
        finally
        {
            Pharos.Models.Kernels.TrainingKernels.Enabled = saved;
            Pharos.Models.Kernels.AttentionTrainingKernel.Enabled = savedAttention;
            Pharos.Models.Kernels.KernelPool.OnOpenMpThreads = savedThreads;
        }
        Console.WriteLine($"{precision.Name} {method}: minor_faults_per_step={string.Join("/", faultsPerStep)} (fewest over the steps{(variants.Length > 1 ? ", per variant" : "")}) " +
            $"rss_mb after the first/highest/last step={string.Join(" ", rss.Select(r => $"{r[0]:F0}/{r.Max():F0}/{r[^1]:F0}"))} " +
            $"whole steps_s={string.Join(" / ", wholeSteps.Select(w => string.Join(",", w.Select(x => x.ToString("F3")))))}");
        return best;
    }

    /// <summary>Best-of time of the step's GEMMs run alone: each projection's forward, its input gradient, and (full) its weight
    /// gradient; LoRA's factor products; attention's four batched products; the tied LM head's forward and gradients.</summary>
    static double MatmulSeconds(Pharos.Models.Config.ModelConfig c, int tokens, int seq, string method, ScalarType dtype, int reps)
    {
        using var scope = NewDisposeScope();
        bool full = method == "full";
        long h = c.HiddenSize, f = c.IntermediateSize, heads = c.NumHeads, hd = c.HeadDim;
        var linears = new List<(long In, long Out)> { (h, h), (h, h), (h, h), (h, h), (h, f), (h, f), (f, h) };
        var work = new List<Action>();
        Tensor R(params long[] shape) => randn(shape, dtype: dtype);
        foreach (var (inF, outF) in linears)
        {
            var x = R(tokens, inF); var w = R(outF, inF); var gy = R(tokens, outF);
            work.Add(() => x.matmul(w.t()).Dispose());          // forward
            work.Add(() => gy.matmul(w).Dispose());             // input gradient
            if (full) work.Add(() => gy.t().matmul(x).Dispose()); // weight gradient
            if (!full)
            {
                var a = R(16, inF); var bw = R(outF, 16); var xa = R(tokens, 16); var gb = R(tokens, outF);
                work.Add(() => x.matmul(a.t()).Dispose());       // A x
                work.Add(() => xa.matmul(bw.t()).Dispose());     // B (A x)
                work.Add(() => gb.matmul(bw).Dispose());         // gradient through B
                work.Add(() => gb.t().matmul(xa).Dispose());     // B's weight gradient
                work.Add(() => xa.matmul(a).Dispose());          // gradient through A
                work.Add(() => xa.t().matmul(x).Dispose());      // A's weight gradient
            }
        }
        long b = tokens / seq;
        var q = R(b, heads, seq, hd); var k = R(b, heads, seq, hd); var p = R(b, heads, seq, seq);
        for (int i = 0; i < 2; i++) work.Add(() => q.matmul(k.transpose(2, 3)).Dispose()); // S = Q·Kᵀ and dP = dO·Vᵀ
        for (int i = 0; i < 4; i++) work.Add(() => p.matmul(q).Dispose());                  // P·V, dV, dQ, dK
        long chunkRows = Math.Min(tokens, Pharos.Training.Objectives.ChunkedLmHeadLoss.DefaultChunkRows(c.VocabSize)); // as the Trainer
        var hidden = R(chunkRows, h); var emb = R(c.VocabSize, h); var glog = R(chunkRows, c.VocabSize);
        for (int chunk = 0; chunk < tokens / chunkRows; chunk++)
        {
            work.Add(() => hidden.matmul(emb.t()).Dispose()); // logits
            work.Add(() => glog.matmul(emb).Dispose());       // hidden gradient
            if (full) work.Add(() => glog.t().matmul(hidden).Dispose()); // embedding gradient
        }
        double perLayer = 0, head = 0;
        int layerWork = work.Count - (int)(tokens / chunkRows) * (full ? 3 : 2);
        foreach (var a in work) a(); // warm-up
        double best = double.MaxValue;
        for (int r = 0; r < reps; r++)
        {
            var sw = Stopwatch.StartNew();
            for (int layer = 0; layer < c.NumLayers; layer++)
                for (int i = 0; i < layerWork; i++) work[i]();
            perLayer = sw.Elapsed.TotalSeconds;
            var sw2 = Stopwatch.StartNew();
            for (int i = layerWork; i < work.Count; i++) work[i]();
            head = sw2.Elapsed.TotalSeconds;
            best = Math.Min(best, perLayer + head);
        }
        return best;
    }

    /// <summary>Each GEMM shape of the LoRA step alone, best of <paramref name="reps"/>, as GFLOP/s against the 2048² peak.</summary>
    static int GemmShapes(Pharos.Models.Config.ModelConfig c, int tokens, ScalarType dtype, int reps)
    {
        double peak = MatmulPeak.GFlops(dtype: dtype);
        Console.WriteLine($"gemm shapes ({dtype}), 2048² peak {peak:F0} GFLOP/s");
        long h = c.HiddenSize, f = c.IntermediateSize;
        var shapes = new List<(string Name, long M, long K, long N, bool TransB)>
        {
            ("x·Wqᵀ (h→h)", tokens, h, h, true), ("gy·Wq (h←h)", tokens, h, h, false),
            ("x·Wupᵀ (h→f)", tokens, h, f, true), ("gy·Wup (h←f)", tokens, f, h, false),
            ("x·Wdownᵀ (f→h)", tokens, f, h, true), ("gy·Wdown (f←h)", tokens, h, f, false),
            ("logits 512 rows", 512, h, c.VocabSize, true), ("logits grad 512 rows", 512, c.VocabSize, h, false),
            // LoRA r=16 on an h→h projection: x·Aᵀ, a·(sB)ᵀ, gy·sB, gyᵀ·a (B's gradient), g_aᵀ·x (A's), g_a·A (into x's).
            ("lora x·Aᵀ", tokens, h, 16, true), ("lora a·sBᵀ", tokens, 16, h, true), ("lora gy·sB", tokens, h, 16, false),
            ("lora gyᵀ·a", h, tokens, 16, false), ("lora g_aᵀ·x", 16, tokens, h, false), ("lora g_a·A", tokens, 16, h, false),
        };
        foreach (var (name, m, k, n, transB) in shapes)
        {
            using var scope = NewDisposeScope();
            var a = randn(m, k, dtype: dtype);
            var b = transB ? randn(n, k, dtype: dtype) : randn(k, n, dtype: dtype);
            Func<Tensor> run = transB ? () => a.matmul(b.t()) : () => a.matmul(b);
            run().Dispose();
            double best = double.MaxValue, wall = 0;
            var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
            for (int i = 0; i < reps; i++) { var sw = Stopwatch.StartNew(); run().Dispose(); best = Math.Min(best, sw.Elapsed.TotalSeconds); wall += sw.Elapsed.TotalSeconds; }
            // CPU time over wall time: how many of the threads the GEMM kept busy (spinning at its barrier included).
            double busy = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds / wall;
            double gf = 2.0 * m * k * n / best / 1e9;
            Console.WriteLine($"  {name,-22} {m}x{k}x{n}  {best * 1000,7:F2} ms  {gf,6:F0} GFLOP/s  {gf / peak,5:P0}  threads_busy={busy:F2}");
        }
        return 0;
    }

    /// <summary>Alternatives for parts of the step, each forward + backward in bf16 on the step's shapes, interleaved.</summary>
    static int Micro(int reps)
    {
        var cases = new List<(string Name, Action Run)>();
        var g = new Generator(1);
        Tensor R(params long[] shape) => randn(shape, generator: g).to(bfloat16).requires_grad_(true);
        var q = R(4, 12, 256, 64); var k = R(4, 12, 256, 64); var v = R(4, 12, 256, 64);
        var mask = ones(256, 256, dtype: @bool).tril().logical_not();
        cases.Add(("sdpa causal fwd+bwd", () =>
        {
            using var scope = NewDisposeScope();
            var o = nn.functional.scaled_dot_product_attention(q, k, v, is_casual: true);
            o.sum().backward();
        }));
        cases.Add(("kernel attention fwd+bwd", () =>
        {
            using var scope = NewDisposeScope();
            var o = Pharos.Models.Kernels.AttentionTrainingKernel.Run(q, k, v, 1 / 8.0, null);
            o.sum().backward();
        }));
        // As in the step: q, k and v [B, H, T, D] views over the projections' [B, T, H, D] memory, and dO likewise.
        var qp = R(4, 256, 12, 64).transpose(1, 2); var kp = R(4, 256, 12, 64).transpose(1, 2); var vp = R(4, 256, 12, 64).transpose(1, 2);
        var dOp = randn(4, 256, 12, 64).to(bfloat16).transpose(1, 2);
        cases.Add(("kernel attention, step layout", () =>
        {
            using var scope = NewDisposeScope();
            Pharos.Models.Kernels.AttentionTrainingKernel.Run(qp, kp, vp, 1 / 8.0, null).backward([dOp]);
        }));
        cases.Add(("eager attention fwd+bwd", () =>
        {
            using var scope = NewDisposeScope();
            var s = q.matmul(k.transpose(2, 3)) * (1 / 8.0);
            s = s.masked_fill(mask, double.NegativeInfinity);
            var o = s.softmax(-1, float32).to(bfloat16).matmul(v);
            o.sum().backward();
        }));
        var pq = randn(4, 12, 256, 256).to(bfloat16);
        cases.Add(("attention products alone", () => // the six batched products of attention fwd+bwd, the floor of the two above
        {
            using var scope = NewDisposeScope();
            using var no = no_grad();
            q.matmul(k.transpose(2, 3)); q.matmul(k.transpose(2, 3));
            pq.matmul(v); pq.matmul(v); pq.transpose(2, 3).matmul(v); pq.transpose(2, 3).matmul(v);
        }));
        var x = R(1024, 768); var wq = randn(768, 768).to(bfloat16); var wqkv = randn(2304, 768).to(bfloat16);
        var wg = randn(2048, 768).to(bfloat16); var wgu = randn(4096, 768).to(bfloat16);
        cases.Add(("q,k,v apart fwd+bwd", () =>
        {
            using var scope = NewDisposeScope();
            var y = nn.functional.linear(x, wq) + nn.functional.linear(x, wq) + nn.functional.linear(x, wq);
            y.sum().backward();
        }));
        cases.Add(("qkv fused fwd+bwd", () =>
        {
            using var scope = NewDisposeScope();
            var parts = nn.functional.linear(x, wqkv).split(768, -1);
            (parts[0] + parts[1] + parts[2]).sum().backward();
        }));
        cases.Add(("gate,up apart fwd+bwd", () =>
        {
            using var scope = NewDisposeScope();
            var y = nn.functional.linear(x, wg) * nn.functional.linear(x, wg);
            y.sum().backward();
        }));
        cases.Add(("gate-up fused fwd+bwd", () =>
        {
            using var scope = NewDisposeScope();
            var parts = nn.functional.linear(x, wgu).split(2048, -1);
            (parts[0] * parts[1]).sum().backward();
        }));
        var norm = new Pharos.Models.Transformer.RmsNorm(768, 1e-5, false, bfloat16, CPU);
        using (no_grad()) norm.weight.fill_(1);
        var hx = R(4, 256, 768);
        cases.Add(("rmsnorm fwd+bwd", () =>
        {
            using var scope = NewDisposeScope();
            norm.forward(hx).sum().backward();
        }));
        var cos = randn(4, 1, 256, 64).to(bfloat16); var sin = randn(4, 1, 256, 64).to(bfloat16);
        cases.Add(("rotary q fwd+bwd", () =>
        {
            using var scope = NewDisposeScope();
            Pharos.Models.Transformer.RotaryEmbedding.Apply(q, cos, sin).sum().backward();
        }));
        // As in the step: q [B, H, T, D] over the projection's [B, T, H, D] memory, a real upstream gradient.
        var qStep = R(4, 256, 12, 64); var dq = randn(4, 12, 256, 64).to(bfloat16);
        cases.Add(("rotary q fwd+bwd, step layout", () =>
        {
            using var scope = NewDisposeScope();
            Pharos.Models.Transformer.RotaryEmbedding.Apply(qStep.transpose(1, 2), cos, sin).backward([dq]);
            qStep.grad = null;
        }));
        var gate = R(4, 256, 2048); var up = R(4, 256, 2048);
        cases.Add(("silu(gate)*up fwd+bwd", () =>
        {
            using var scope = NewDisposeScope();
            (nn.functional.silu(gate) * up).sum().backward();
        }));
        // One adapted projection (h→h) against its frozen base alone: what LoRA adds to each of the step's 84 projections.
        var baseLinear = new Pharos.Models.Transformer.Linear(768, 768, false, bfloat16, CPU);
        using (no_grad()) baseLinear.weight.normal_(0, 0.02);
        baseLinear.weight.requires_grad_(false);
        var adapted = new Pharos.Models.Transformer.Linear(768, 768, false, bfloat16, CPU);
        using (no_grad()) adapted.weight.copy_(baseLinear.weight);
        adapted.weight.requires_grad_(false);
        var adapter = new LoraAdapter(adapted, new LoraOptions { Rank = 16, Alpha = 32, Dropout = 0 }, new Generator(2), null);
        using (no_grad()) adapter.lora_B.weight.normal_(0, 0.02);
        adapted.Attach(adapter);
        cases.Add(("frozen linear h→h fwd+bwd", () =>
        {
            using var scope = NewDisposeScope();
            baseLinear.forward(x).sum().backward();
        }));
        cases.Add(("LoRA linear h→h fwd+bwd", () =>
        {
            using var scope = NewDisposeScope();
            adapted.forward(x).sum().backward();
            adapter.lora_A.weight.grad = null; adapter.lora_B.weight.grad = null;
        }));
        {
            // The LM head's two products over the step's 1,024 positions in two chunks or one (ChunkedLmHeadLoss.DefaultChunkRows).
            var emb = randn(32000, 768).to(bfloat16); var h1 = randn(1024, 768).to(bfloat16); var gl = randn(1024, 32000).to(bfloat16);
            cases.Add(("lm head 2 x 512 rows", () => { using var s = NewDisposeScope(); for (int c = 0; c < 2; c++) { h1.narrow(0, c * 512, 512).matmul(emb.t()); gl.narrow(0, c * 512, 512).matmul(emb); } }));
            cases.Add(("lm head 1 x 1024 rows", () => { using var s = NewDisposeScope(); h1.matmul(emb.t()); gl.matmul(emb); }));
        }
        {
            // The LM head's cross-entropy and its gradient over the step's 1,024 positions (ChunkedLmHeadLoss's kernel, in place).
            var logits = (randn(1024, 32000) * 4).to(bfloat16); var targets = randint(0, 32000, [1024]);
            cases.Add(("cross-entropy kernel 1024 rows", () =>
            {
                using var scope = NewDisposeScope();
                Pharos.Models.Kernels.CrossEntropyKernel.Run(logits.clone(), targets, wantGrad: true, inPlace: true);
            }));
        }
        cases.Add(("residual add fwd+bwd", () =>
        {
            using var scope = NewDisposeScope();
            (hx + hx).sum().backward();
        }));
        var best = cases.Select(_ => double.MaxValue).ToArray();
        for (int r = 0; r <= reps; r++)
            for (int i = 0; i < cases.Count; i++)
            {
                var sw = Stopwatch.StartNew();
                cases[i].Run();
                if (r > 0) best[i] = Math.Min(best[i], sw.Elapsed.TotalSeconds);
            }
        for (int i = 0; i < cases.Count; i++) Console.WriteLine($"  {cases[i].Name,-26} {best[i] * 1000,8:F2} ms");
        return 0;
    }
}
