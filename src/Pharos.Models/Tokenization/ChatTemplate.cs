// A compiled chat template and the variables transformers passes to it (messages, add_generation_prompt, special tokens, extras).
using Pharos.Models.Tokenization.Jinja;

namespace Pharos.Models.Tokenization;

internal sealed class ChatTemplate
{
    readonly JinjaTemplate _template;

    public ChatTemplate(string source) => _template = JinjaTemplate.Parse(source);

    public string Render(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt,
        IReadOnlyDictionary<string, object?> specialTokens, IReadOnlyDictionary<string, object?>? extra)
    {
        var vars = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (k, v) in specialTokens)
            vars[k] = v;
        vars["messages"] = messages
            .Select(m => (object?)new Dictionary<string, object?>(StringComparer.Ordinal) { ["role"] = m.Role, ["content"] = m.Content })
            .ToList();
        vars["add_generation_prompt"] = addGenerationPrompt;
        if (extra is not null)
            foreach (var (k, v) in extra)
                vars[k] = v;
        return _template.Render(vars);
    }
}
