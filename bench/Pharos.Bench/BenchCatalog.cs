// Names the benchmarks and dispatches to them.
namespace Pharos.Bench;

internal static class BenchCatalog
{
    static readonly Dictionary<string, (string Description, Func<string[], int> Run)> Benchmarks = new()
    {
        ["forward"] = (ForwardBench.Description, ForwardBench.Run),
        ["generate"] = (GenerateBench.Description, GenerateBench.Run),
        ["decode"] = (DecodeBench.Description, DecodeBench.Run),
        ["decode-profile"] = (DecodeProfile.Description, DecodeProfile.Run),
        ["serve"] = (ServeBench.Description, ServeBench.Run),
        ["tokenizer"] = (TokenizerBench.Description, TokenizerBench.Run),
        ["train"] = (TrainBench.Description, TrainBench.Run),
        ["train-profile"] = (TrainProfileBench.Description, TrainProfileBench.Run),
        ["grpo"] = (GrpoBench.Description, GrpoBench.Run),
        ["ddp"] = (DdpBench.Description, DdpBench.Run),
        ["ddp-rank"] = ("one rank of `ddp` (started by it under mpirun)", DdpBench.RunRank),
        ["ddp-phases"] = ("one rank of `ddp --diagnose`: the CPT step timed phase by phase", DdpPhases.RunRank),
        ["sparselora"] = (SparseLoraBench.Description, SparseLoraBench.Run),
        ["sparselora-quality"] = (SparseLoraQualityBench.Description, SparseLoraQualityBench.Run),
        ["precision-quality"] = (PrecisionQualityBench.Description, PrecisionQualityBench.Run),
        ["fp32-matmul"] = (Fp32MatmulBench.Description, Fp32MatmulBench.Run),
        ["comet"] = (CometBench.Description, CometBench.Run),
        ["metrics"] = ("corpus BLEU + chrF++ over 10,000 segments; sacrebleu side by side when SACREBLEU_DIR is set", MetricsBench.Run),
        ["data"] = (DataBench.Description, DataBench.Run),
        ["memory"] = (MemoryBench.Description, MemoryBench.Run),
        ["curation"] = ("filter chain and MinHash docs/s/core vs datatrove (ratio_vs_datatrove), per-step time, clustering bytes/doc (issues 6, 18)", CurationBench.Run),
        ["word-tokenizers"] = ("curation word tokenizers: build time and docs/s per language [--languages en,de,...] [--passes N]; --digest hashes every tokenizer's output (issue 18)", WordTokenizerBench.Run),
    };

    public static int Run(string[] args)
    {
        if (args.Length == 0 || !Benchmarks.TryGetValue(args[0], out var bench))
        {
            Console.Error.WriteLine("usage: Pharos.Bench <benchmark> [options]");
            foreach (var (name, b) in Benchmarks)
                Console.Error.WriteLine($"  {name,-12} {b.Description}");
            return 2;
        }
        // Once per benchmark run (its probes, ranks and peers inherit the marker): the allocator Pharos's side runs with.
        if (Environment.GetEnvironmentVariable(NestedVariable) is null)
        {
            Console.WriteLine($"pharos allocator: {Pharos.Models.NativeAllocator.Describe()} (PHAROS_MALLOC=system for glibc's malloc; the peers keep their own)");
            Environment.SetEnvironmentVariable(NestedVariable, "1");
        }
        return bench.Run(args[1..]);
    }

    const string NestedVariable = "PHAROS_BENCH_NESTED";
}
