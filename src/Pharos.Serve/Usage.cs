// The `usage` object of OpenAI responses, counted from the real prompt and completion token ids.
using System.Text.Json.Nodes;

namespace Pharos.Serve;

internal static class Usage
{
    public static JsonObject Of(IEnumerable<JobResult> results)
    {
        int prompt = results.Sum(r => r.PromptTokens), completion = results.Sum(r => r.Choices.Sum(c => c.CompletionTokens));
        return new JsonObject { ["prompt_tokens"] = prompt, ["completion_tokens"] = completion, ["total_tokens"] = prompt + completion };
    }
}
