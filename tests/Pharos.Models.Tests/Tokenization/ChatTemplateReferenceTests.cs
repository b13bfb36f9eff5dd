// Real chat templates (Qwen3 ChatML, Llama-3, Gemma3) rendered by Pharos against transformers' apply_chat_template(tokenize=False).
using System.Text;
using System.Text.Json;
using Pharos.Models.Tokenization;
using Pharos.Models.Tokenization.Jinja;

namespace Pharos.Models.Tests.Tokenization;

public sealed class ChatTemplateReferenceTests
{
    public static TheoryData<string> Templates => new(TokenizerFixtures.ChatNames);

    internal sealed record Conversation(List<ChatMessage> Messages, bool AddGenerationPrompt, Dictionary<string, object?> Extra);

    internal static List<Conversation> Conversations()
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(TokenizerFixtures.FixturePath("chat_conversations.json")));
        return doc.RootElement.EnumerateArray().Select(c => new Conversation(
            c.GetProperty("messages").EnumerateArray().Select(m => new ChatMessage(m.GetProperty("role").GetString()!, m.GetProperty("content").GetString()!)).ToList(),
            c.GetProperty("add_generation_prompt").GetBoolean(),
            c.GetProperty("extra").EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone()))).ToList();
    }

    [RealTokenizerTheory]
    [MemberData(nameof(Templates))]
    public void Renders_match_transformers_on_every_conversation(string name)
    {
        var tokenizer = TokenizerFixtures.Load(name);
        var conversations = Conversations();
        using var doc = JsonDocument.Parse(File.ReadAllBytes(TokenizerFixtures.FixturePath($"chat_expected_{name}.json")));
        var renders = doc.RootElement.GetProperty("renders").EnumerateArray().ToList();
        Assert.Equal(conversations.Count, renders.Count);
        Assert.True(conversations.Count >= 20);

        var failures = new StringBuilder();
        var bad = 0;
        for (var i = 0; i < conversations.Count; i++)
        {
            var c = conversations[i];
            string actual;
            try
            {
                actual = "text:" + tokenizer.ApplyChatTemplate(c.Messages, c.AddGenerationPrompt, c.Extra);
            }
            catch (JinjaException e) when (e.Raised)
            {
                actual = "error:" + e.Message;
            }
            var r = renders[i];
            var expected = r.TryGetProperty("text", out var t) ? "text:" + t.GetString() : "error:" + r.GetProperty("error").GetString();
            if (actual != expected && ++bad <= 3)
                {
                var at = Enumerable.Range(0, Math.Min(expected.Length, actual.Length)).FirstOrDefault(k => expected[k] != actual[k], Math.Min(expected.Length, actual.Length));
                var from = Math.Max(0, at - 30);
                failures.AppendLine($"conversation {i}, first difference at {at}\n  expected {HfTokenizerReferenceTests.Show(expected[from..])}\n  actual   {HfTokenizerReferenceTests.Show(actual[from..])}");
            }
        }
        Assert.True(bad == 0, $"{name}: {bad} of {conversations.Count} renders differ\n{failures}");
    }

    [RealTokenizerFact]
    public void Gemma_render_starts_with_bos_and_encodes_it_once_without_special_tokens()
    {
        // The rendered template already holds <bos>; encoding it must then use addSpecialTokens: false, or BOS appears twice.
        var gemma = TokenizerFixtures.Load("gemma3");
        var text = gemma.ApplyChatTemplate([new ChatMessage("user", "Olá")], addGenerationPrompt: true);
        Assert.StartsWith("<bos>", text);
        var ids = gemma.Encode(text, addSpecialTokens: false);
        Assert.Equal(gemma.BosId, ids[0]);
        Assert.Equal(1, ids.Count(id => id == gemma.BosId));
    }
}
