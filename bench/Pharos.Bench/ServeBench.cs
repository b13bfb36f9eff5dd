// `serve`: 16 concurrent streaming clients, each sending a fixed list of /v1/completions requests with mixed settings
// (temperature, top-p, max tokens, seeds, stop strings), against `pharos serve` (bf16, continuous batching) and
// llama.cpp's llama-server (--parallel 8, the same weights as GGUF bf16: its fastest unquantised type on a CPU with
// AVX512-BF16, see DecodeBench) in turn, each in its own process with the same
// thread count. Reports total completion tokens/s over the round and time to first token (p50/p90) per server.
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Pharos.Bench;

internal static class ServeBench
{
    public const string Description = "16 streaming clients, mixed settings: pharos serve (bf16) vs llama-server --parallel 8 (bf16; --gguf f16): tokens/s and TTFT";

    sealed record Request(string Prompt, double Temperature, double TopP, int MaxTokens, long? Seed, string? Stop);

    sealed record Outcome(int Tokens, double FirstTokenSeconds);

    public static int Run(string[] args)
    {
        int clients = BenchArgs.Int(args, "--clients", 16), perClient = BenchArgs.Int(args, "--requests", 4), rounds = BenchArgs.Int(args, "--rounds", 2);
        int maxBatch = BenchArgs.Int(args, "--max-batch", 8), parallel = BenchArgs.Int(args, "--parallel", 8);
        string dtype = BenchArgs.String(args, "--dtype", "bfloat16"), ggufType = BenchArgs.String(args, "--gguf", "bf16");
        int threads = TorchSharp.torch.get_num_threads();
        Console.WriteLine($"serve: Llama ~110M, {clients} streaming clients x {perClient} requests, mixed settings, pharos --max-batch {maxBatch} ({dtype}) " +
            $"vs llama-server --parallel {parallel} ({ggufType}), {threads} threads each, best of {rounds} rounds, load {DecodeBench.LoadAverage()}");
        if (!LlamaCppPeer.Available(out var why))
        {
            // The bench tokenizer (so that every id of the 32,000 decodes to text on both servers) is made in the chroot too.
            Console.WriteLine($"serve bench skipped: {why}");
            return 0;
        }
        using var bench = BenchModels.Create(BenchModels.Llama110M, parent: LlamaCppPeer.SharedTemp);
        var gguf = LlamaCppPeer.Convert(bench.Folder, ggufType)[ggufType];
        var requests = Workload(clients, perClient);
        int pharosPort = FreePort(), llamaPort = FreePort();
        using var pharos = StartPharos(bench.Folder, pharosPort, maxBatch, dtype);
        using var llama = LlamaCppPeer.StartServer(gguf, llamaPort, parallel, context: parallel * 512, threads);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 4 * clients }) { Timeout = TimeSpan.FromMinutes(10) };
        try
        {
            var servers = new[] { ("pharos", $"http://127.0.0.1:{pharosPort}"), ("llama_server", $"http://127.0.0.1:{llamaPort}") };
            foreach (var (_, url) in servers)
            {
                WaitHealthy(http, url, TimeSpan.FromMinutes(3));
                RunRound(http, url, [[requests[0][0]]]); // warm-up
            }
            var best = new Dictionary<string, (double TokensPerSecond, double P50, double P90, int Tokens)>();
            for (int round = 0; round < rounds; round++)
                foreach (var (name, url) in servers)
                {
                    var clock = Stopwatch.StartNew();
                    var outcomes = RunRound(http, url, requests);
                    double wall = clock.Elapsed.TotalSeconds;
                    int tokens = outcomes.Sum(o => o.Tokens);
                    var ttft = outcomes.Select(o => o.FirstTokenSeconds).Order().ToArray();
                    var result = (tokens / wall, Percentile(ttft, 0.5), Percentile(ttft, 0.9), tokens);
                    Console.WriteLine($"round {round} {name}: tokens={tokens} wall_s={wall:F2} tokens_per_s={result.Item1:F1} ttft_p50_ms={result.Item2 * 1000:F0} ttft_p90_ms={result.Item3 * 1000:F0}");
                    if (!best.TryGetValue(name, out var b) || result.Item1 > b.TokensPerSecond) best[name] = result;
                }
            var (p, l) = (best["pharos"], best["llama_server"]);
            Console.WriteLine($"pharos_tokens_per_s={p.TokensPerSecond:F1} llama_server_tokens_per_s={l.TokensPerSecond:F1} ratio_vs_llama_server={p.TokensPerSecond / l.TokensPerSecond:F2} " +
                $"ttft_p50_ms pharos={p.P50 * 1000:F0} llama_server={l.P50 * 1000:F0} ttft_p90_ms pharos={p.P90 * 1000:F0} llama_server={l.P90 * 1000:F0}");
        }
        catch (Exception)
        {
            throw; // a handler here makes the runtime unwind, so the servers below are stopped even on failure
        }
        finally
        {
            foreach (var process in new[] { pharos, llama })
                if (!process.HasExited) { process.Kill(entireProcessTree: true); process.WaitForExit(10_000); }
        }
        return 0;
    }

    /// <summary>The same requests for both servers: prompts of 1–8 sentences, settings cycling independently per client.</summary>
    static Request[][] Workload(int clients, int perClient)
    {
        string[] sentences =
        [
            "Once upon a time there was a little girl named Lily. ", "She loved to play outside in the park with her dog. ",
            "One day they found a big red ball under a tree. ", "Her mom said it was time to go home for dinner. ",
        ];
        double[] temperatures = [0, 0.7, 1.0];
        double[] topPs = [1.0, 0.9];
        int[] maxTokens = [32, 64, 96, 128];
        return Enumerable.Range(0, clients).Select(c => Enumerable.Range(0, perClient).Select(j =>
        {
            int i = c * perClient + j;
            var prompt = string.Concat(Enumerable.Range(0, 1 + (c + 3 * j) % 8).Select(k => sentences[(i + k) % sentences.Length]));
            return new Request(prompt, temperatures[(c + j) % 3], topPs[(c + 2 * j) % 2], maxTokens[(c + 3 * j) % 4],
                c % 2 == 0 ? 100 * c + j : null, j % 3 == 0 ? "\n\n" : null);
        }).ToArray()).ToArray();
    }

    /// <summary>Every client sends its requests one after another, all clients at once.</summary>
    static Outcome[] RunRound(HttpClient http, string url, Request[][] requests) =>
        Task.WhenAll(requests.Select(async list =>
        {
            var outcomes = new List<Outcome>();
            foreach (var r in list) outcomes.Add(await Stream(http, url, r));
            return outcomes;
        })).GetAwaiter().GetResult().SelectMany(x => x).ToArray();

    static async Task<Outcome> Stream(HttpClient http, string url, Request r)
    {
        var body = new JsonObject
        {
            ["prompt"] = r.Prompt, ["max_tokens"] = r.MaxTokens, ["temperature"] = r.Temperature, ["top_p"] = r.TopP,
            ["stream"] = true, ["stream_options"] = new JsonObject { ["include_usage"] = true },
            // llama-server samples with top_k 40 and min_p 0.05 unless told otherwise: give both servers the same rules.
            ["top_k"] = 40, ["min_p"] = 0.0,
        };
        if (r.Seed is long seed) body["seed"] = seed;
        if (r.Stop is string stop) body["stop"] = new JsonArray(stop);
        var clock = Stopwatch.StartNew();
        using var request = new HttpRequestMessage(HttpMethod.Post, url + "/v1/completions") { Content = JsonContent.Create(body) };
        // A fresh connection per request, for both servers: llama-server's HTTP library closes kept-alive connections after a
        // few requests or seconds idle, and a pooled connection it has just closed ends the next response prematurely.
        request.Headers.ConnectionClose = true;
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        double first = double.NaN;
        int tokens = -1;
        while (await reader.ReadLineAsync() is { } line)
        {
            if (!line.StartsWith("data: ", StringComparison.Ordinal) || line == "data: [DONE]") continue;
            var chunk = JsonNode.Parse(line["data: ".Length..])!;
            if (double.IsNaN(first) && chunk["choices"] is JsonArray { Count: > 0 } choices && ((string?)choices[0]!["text"])?.Length > 0)
                first = clock.Elapsed.TotalSeconds;
            if (chunk["usage"] is JsonObject usage) tokens = (int)usage["completion_tokens"]!;
        }
        if (tokens < 0) throw new InvalidOperationException($"{url}: no usage in the stream");
        return new Outcome(tokens, double.IsNaN(first) ? clock.Elapsed.TotalSeconds : first);
    }

    static Process StartPharos(string folder, int port, int maxBatch, string dtype)
    {
        var psi = new ProcessStartInfo("bash", [Path.Combine(BenchPaths.Root, "pharos"), "serve", "-m", folder, "--port", port.ToString(),
            "--max-batch", maxBatch.ToString(), "--dtype", dtype])
        { RedirectStandardOutput = true, RedirectStandardError = true };
        var process = Process.Start(psi)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { Length: > 0 }) Console.Error.WriteLine($"pharos serve: {e.Data}"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    static void WaitHealthy(HttpClient http, string url, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            try
            {
                using var response = http.GetAsync(url + "/health").GetAwaiter().GetResult();
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            Thread.Sleep(500);
        }
        throw new TimeoutException($"{url} did not become healthy in {limit}");
    }

    static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    static double Percentile(double[] sorted, double q) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Floor(q * sorted.Length))];
}
