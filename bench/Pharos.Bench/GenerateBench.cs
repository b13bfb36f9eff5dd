// `generate`: greedy decoding tokens/s with a KV cache at batch 1 and 8 on the ~110M Llama, in float32 and bfloat16, Pharos's
// TokenGenerator against each PyTorch peer's reference decode loop on the same weights and prompt, iterations interleaved.
// (llama.cpp is the peer of the decoding and serving benchmarks, not of this one.)
using System.Diagnostics;
using Pharos.Models;
using Pharos.Models.Generation;
using Pharos.Models.Loading;
using static TorchSharp.torch;

namespace Pharos.Bench;

internal static class GenerateBench
{
    public const string Description = "greedy KV-cache decoding tokens/s, batch 1 and 8, float32 and bfloat16, vs PyTorch's decode loop";

    public static int Run(string[] args)
    {
        int newTokens = BenchArgs.Int(args, "--new-tokens", 64), promptLength = BenchArgs.Int(args, "--prompt", 32), iters = BenchArgs.Int(args, "--iters", 3);
        var dtypes = BenchArgs.String(args, "--dtypes", "float32,bfloat16").Split(',');
        Console.WriteLine($"generate: Llama ~110M, greedy, prompt {promptLength} + {newTokens} new tokens, {string.Join(" and ", dtypes)}, " +
            $"best of {iters} interleaved, {get_num_threads()} threads, load {BenchLoad.Now()}");
        var peers = TorchPeer.Find(Console.WriteLine);
        using var bench = BenchModels.Create(BenchModels.Llama110M, parent: TorchPeer.SharedFolder(peers));
        var prompt = BenchModels.WriteIds(bench, "prompt.bin", promptLength, seed: 2).Select(x => (int)x).ToArray();
        var options = new GenerationOptions { MaxNewTokens = newTokens };
        foreach (var name in dtypes)
        {
            using var model = ModelLoader.Load(bench.Folder, CPU, DTypes.Parse(name));
            var generator = new TokenGenerator(model);
            var sessions = peers.Select(p => (Peer: p, Session: p.Session("torch_llama.py", "generate-session", "--model", p.Visible(bench.Folder),
                "--ids", p.Visible(bench.File("prompt.bin")), "--dtype", name))).ToList();
            try
            {
                foreach (int batch in new[] { 1, 8 })
                {
                    var prompts = Enumerable.Repeat<IReadOnlyList<int>>(prompt, batch).ToArray();
                    int[] tokens = [];
                    double best = double.MaxValue;
                    var peerBest = sessions.Select(_ => double.MaxValue).ToArray();
                    var same = sessions.Select(_ => true).ToArray();
                    for (int i = 0; i < iters; i++)
                    {
                        var sw = Stopwatch.StartNew();
                        tokens = generator.Generate(prompts, options)[0].Tokens;
                        best = Math.Min(best, sw.Elapsed.TotalSeconds);
                        for (int s = 0; s < sessions.Count; s++)
                        {
                            var reply = sessions[s].Session.Send($"gen {batch} {newTokens}");
                            peerBest[s] = Math.Min(peerBest[s], (double)reply["seconds"]!);
                            same[s] &= reply["tokens"]!.AsArray().Select(x => (int)x!).SequenceEqual(tokens);
                        }
                    }
                    Console.WriteLine($"{name} batch {batch}: pharos_tokens_per_s={batch * newTokens / best:F1}" + string.Concat(sessions.Select((s, i) =>
                        $" {s.Peer.Name}_tokens_per_s={batch * newTokens / peerBest[i]:F1} same_tokens_as_{s.Peer.Name}={same[i]} ratio_vs_{s.Peer.Name}={peerBest[i] / best:F2}")));
                }
            }
            finally
            {
                foreach (var (_, session) in sessions) session.Dispose();
            }
        }
        return 0;
    }
}
