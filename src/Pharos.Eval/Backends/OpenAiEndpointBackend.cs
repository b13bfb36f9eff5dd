// Evaluates any OpenAI-compatible endpoint (vLLM, Pharos's own server, hosted APIs): a few requests in flight,
// retries with exponential backoff on timeouts, 429 and 5xx, and a per-item error record instead of a crashed run.
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Pharos.Models.Tokenization;

namespace Pharos.Eval.Backends;

public sealed class OpenAiEndpointBackend : IChatBackend
{
    readonly HttpClient http;
    readonly string model;
    readonly int concurrency, attempts;
    readonly TimeSpan firstBackoff;

    public OpenAiEndpointBackend(string baseUrl, string model, string? apiKey = null, int concurrency = 4, int attempts = 4,
        TimeSpan? timeout = null, TimeSpan? firstBackoff = null)
    {
        var root = baseUrl.TrimEnd('/');
        if (!root.EndsWith("/v1", StringComparison.Ordinal)) root += "/v1";
        http = new HttpClient { BaseAddress = new Uri(root + "/"), Timeout = timeout ?? TimeSpan.FromMinutes(5) };
        if (apiKey is not null) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        this.model = model;
        this.concurrency = Math.Max(1, concurrency);
        this.attempts = Math.Max(1, attempts);
        this.firstBackoff = firstBackoff ?? TimeSpan.FromSeconds(1);
        Name = $"endpoint:{root} {model}";
    }

    public string Name { get; }

    int retries;

    /// <summary>Requests repeated so far after a timeout, 429, 5xx or connection failure (for judges' reports).</summary>
    public int Retries => Volatile.Read(ref retries);

    public async Task<IReadOnlyList<ChatAnswer>> CompleteAsync(IReadOnlyList<IReadOnlyList<ChatMessage>> conversations, EvalGenerationSettings settings,
        IProgress<int>? progress = null, CancellationToken cancel = default)
    {
        var answers = new ChatAnswer[conversations.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, conversations.Count), new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancel },
            async (i, token) =>
            {
                answers[i] = await AskWithRetries(conversations[i], settings, token);
                progress?.Report(1);
            });
        return answers;
    }

    async Task<ChatAnswer> AskWithRetries(IReadOnlyList<ChatMessage> conversation, EvalGenerationSettings settings, CancellationToken cancel)
    {
        string lastError = "";
        for (int attempt = 0; attempt < attempts; attempt++)
        {
            if (attempt > 0)
            {
                Interlocked.Increment(ref retries);
                await Task.Delay(firstBackoff * Math.Pow(2, attempt - 1), cancel);
            }
            try
            {
                using var response = await http.PostAsync("chat/completions", Body(conversation, settings), cancel);
                var text = await response.Content.ReadAsStringAsync(cancel);
                if (response.IsSuccessStatusCode)
                    return ChatAnswer.Ok((string?)JsonNode.Parse(text)?["choices"]?[0]?["message"]?["content"] ?? "");
                lastError = $"HTTP {(int)response.StatusCode}: {ErrorMessage(text)}";
                if (!Retryable(response.StatusCode)) break;
            }
            catch (TaskCanceledException) when (!cancel.IsCancellationRequested)
            {
                lastError = $"timed out after {http.Timeout.TotalSeconds:0} s";
            }
            catch (HttpRequestException e)
            {
                lastError = e.Message;
            }
            catch (System.Text.Json.JsonException e)
            {
                lastError = $"unreadable response: {e.Message}";
            }
        }
        return ChatAnswer.Failed(lastError);
    }

    StringContent Body(IReadOnlyList<ChatMessage> conversation, EvalGenerationSettings s)
    {
        var body = new JsonObject
        {
            ["model"] = model,
            ["messages"] = new JsonArray(conversation.Select(m => (JsonNode)new JsonObject { ["role"] = m.Role, ["content"] = m.Content }).ToArray()),
            ["max_tokens"] = s.MaxTokens,
            ["temperature"] = s.Temperature,
            ["top_p"] = s.TopP,
        };
        if (s.Seed is long seed) body["seed"] = seed;
        return new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
    }

    static bool Retryable(HttpStatusCode status) => status == HttpStatusCode.TooManyRequests || (int)status >= 500;

    static string ErrorMessage(string body)
    {
        try { return (string?)JsonNode.Parse(body)?["error"]?["message"] ?? body; }
        catch (System.Text.Json.JsonException) { return body.Length > 200 ? body[..200] : body; }
    }

    public void Dispose() => http.Dispose();
}
