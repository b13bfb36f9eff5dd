// SFT records in TRL's shapes (`messages`, or `prompt`/`completion` as strings or message lists), rendered with the
// model's chat template; only assistant tokens are targets. Assistant spans are found by rendering each prefix of the
// conversation, so any template that renders prefixes consistently works.
using System.Text.Json.Nodes;
using Pharos.Models.Tokenization.Jinja;

namespace Pharos.Training.Datasets;

public sealed class ChatFormatter
{
    static readonly HashSet<string> Roles = new(StringComparer.Ordinal) { "system", "user", "assistant" };
    readonly ITextTokenizer tokenizer;

    public ChatFormatter(ITextTokenizer tokenizer) => this.tokenizer = tokenizer;

    public TokenizedExample? Format(SourceRecord record, BadRecords bad)
    {
        var json = record.Json;
        if (json["messages"] is JsonArray messages)
            return FormatConversation(record, ParseMessages(messages, record, bad), bad);
        if (json["prompt"] is null || json["completion"] is null)
        {
            bad.Add(record.File, record.Line, BadRecords.MissingField, "needs 'messages', or 'prompt' and 'completion'");
            return null;
        }
        if (json["prompt"] is JsonArray p && json["completion"] is JsonArray c)
        {
            var prompt = ParseMessages(p, record, bad);
            var completion = prompt is null ? null : ParseMessages(c, record, bad);
            return completion is null ? null : FormatConversation(record, [.. prompt!, .. completion], bad);
        }
        if (json["prompt"] is JsonValue pv && pv.TryGetValue<string>(out var promptText)
            && json["completion"] is JsonValue cv && cv.TryGetValue<string>(out var completionText))
            return FormatPlain(record, promptText, completionText);
        bad.Add(record.File, record.Line, BadRecords.MissingField, "'prompt' and 'completion' must both be strings or both message lists");
        return null;
    }

    List<ChatTurn>? ParseMessages(JsonArray array, SourceRecord record, BadRecords bad)
    {
        var turns = new List<ChatTurn>();
        foreach (var node in array)
        {
            if (node is not JsonObject m || m["role"] is not JsonValue r || !r.TryGetValue<string>(out var role)
                || m["content"] is not JsonValue c || !c.TryGetValue<string>(out var content))
            {
                bad.Add(record.File, record.Line, BadRecords.MissingField, "each message needs string 'role' and 'content'");
                return null;
            }
            if (!Roles.Contains(role))
            {
                bad.Add(record.File, record.Line, BadRecords.UnknownRole, $"role '{role}' (expected system, user or assistant)");
                return null;
            }
            turns.Add(new ChatTurn(role, content));
        }
        return turns;
    }

    TokenizedExample? FormatConversation(SourceRecord record, List<ChatTurn>? turns, BadRecords bad)
    {
        if (turns is null) return null;
        if (!turns.Any(t => t.Role == "assistant"))
        {
            bad.Add(record.File, record.Line, BadRecords.MissingField, "no assistant message to learn from");
            return null;
        }
        // Char spans [start, end) of the rendered text that are assistant output.
        var spans = new List<(int Start, int End)>();
        string full;
        try
        {
            full = tokenizer.RenderChat(turns, addGenerationPrompt: false);
            for (int i = 0; i < turns.Count; i++)
            {
                if (turns[i].Role != "assistant") continue;
                string before = tokenizer.RenderChat(turns.Take(i).ToList(), addGenerationPrompt: true);
                string through = tokenizer.RenderChat(turns.Take(i + 1).ToList(), addGenerationPrompt: false);
                if (!through.StartsWith(before, StringComparison.Ordinal) || !full.StartsWith(through, StringComparison.Ordinal))
                {
                    bad.Add(record.File, record.Line, BadRecords.TemplateMismatch,
                        $"the chat template does not render this conversation's prefix up to message {i} as a prefix; assistant-only loss needs that");
                    return null;
                }
                spans.Add((before.Length, through.Length));
            }
        }
        catch (JinjaException e)
        {
            // Templates refuse some conversations themselves (raise_exception: roles that do not alternate, a system role
            // the model has none of): that record is bad, the run goes on.
            bad.Add(record.File, record.Line, BadRecords.TemplateError, e.Message);
            return null;
        }
        var ids = new List<int>();
        var targets = new List<bool>();
        int pos = 0;
        foreach (var (start, end) in spans)
        {
            Append(full[pos..start], false);
            Append(full[start..end], true);
            pos = end;
        }
        Append(full[pos..], false);
        return new TokenizedExample([.. ids], [.. targets], record.File, record.Line);

        void Append(string text, bool target)
        {
            if (text.Length == 0) return;
            var part = tokenizer.Encode(text);
            ids.AddRange(part);
            targets.AddRange(Enumerable.Repeat(target, part.Length));
        }
    }

    /// <summary>Non-chat prompt/completion, as TRL: prompt then completion then EOS, loss on the completion and EOS.</summary>
    TokenizedExample FormatPlain(SourceRecord record, string prompt, string completion)
    {
        var ids = new List<int>();
        if (tokenizer.BosId is int bos) ids.Add(bos);
        ids.AddRange(tokenizer.Encode(prompt));
        int promptLength = ids.Count;
        ids.AddRange(tokenizer.Encode(completion));
        ids.Add(tokenizer.EosId);
        var targets = Enumerable.Range(0, ids.Count).Select(i => i >= promptLength).ToArray();
        return new TokenizedExample([.. ids], targets, record.File, record.Line);
    }
}
