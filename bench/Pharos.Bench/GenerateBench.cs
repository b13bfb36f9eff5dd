// `generate`: greedy decoding tokens/s with a KV cache at batch 1 and 8 on the ~110M Llama, Pharos's TokenGenerator
// against PyTorch's reference decode loop on the same weights and prompt, iterations interleaved.
using System.Diagnostics;
using Pharos.Models.Generation;
using static TorchSharp.torch;

namespace Pharos.Bench;

internal static class GenerateBench
{
    public static int Run(string[] args)
    {
        int newTokens = BenchArgs.Int(args, "--new-tokens", 64), promptLength = BenchArgs.Int(args, "--prompt", 32), iters = BenchArgs.Int(args, "--iters", 3);
        Console.WriteLine($"generate: Llama ~110M, float32, greedy, prompt {promptLength} + {newTokens} new tokens, best of {iters} interleaved, {get_num_threads()} threads");
        using var bench = BenchModels.Create(BenchModels.Llama110M);
        var model = bench.Model;
        var prompt = BenchModels.WriteIds(bench, "prompt.bin", promptLength, seed: 2).Select(x => (int)x).ToArray();
        string folder = bench.Folder, idsFile = bench.File("prompt.bin");
        var generator = new TokenGenerator(model);
        var options = new GenerationOptions { MaxNewTokens = newTokens };

        PeerSession? peer = PeerProcess.Available(out var why)
            ? new PeerSession("torch_llama.py", "generate-session", "--model", folder, "--ids", idsFile) : null;
        if (peer is null) Console.WriteLine($"pytorch peer skipped: {why}");
        using (peer)
        {
            foreach (int batch in new[] { 1, 8 })
            {
                var prompts = Enumerable.Repeat<IReadOnlyList<int>>(prompt, batch).ToArray();
                int[] tokens = [];
                double best = double.MaxValue, peerBest = double.MaxValue;
                bool same = true;
                for (int i = 0; i < iters; i++)
                {
                    var sw = Stopwatch.StartNew();
                    tokens = generator.Generate(prompts, options)[0].Tokens;
                    best = Math.Min(best, sw.Elapsed.TotalSeconds);
                    if (peer is null) continue;
                    var reply = peer.Send($"gen {batch} {newTokens}");
                    peerBest = Math.Min(peerBest, (double)reply["seconds"]!);
                    same &= reply["tokens"]!.AsArray().Select(x => (int)x!).SequenceEqual(tokens);
                }
                Console.WriteLine($"batch {batch}: pharos_tokens_per_s={batch * newTokens / best:F1}" +
                    (peer is null ? "" : $" pytorch_tokens_per_s={batch * newTokens / peerBest:F1} same_tokens={same} ratio_vs_pytorch={peerBest / best:F2}"));
            }
        }
        return 0;
    }
}
