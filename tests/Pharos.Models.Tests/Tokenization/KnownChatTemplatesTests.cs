// The fallback templates for folders without one: they parse, and Gemma's renders exactly as Gemma3's own template.
using System.Text.Json;
using Pharos.Models.Tokenization;
using Pharos.Models.Tokenization.Jinja;

namespace Pharos.Models.Tests.Tokenization;

public sealed class KnownChatTemplatesTests
{
    [Theory]
    [InlineData(KnownChatTemplates.ChatMl, "<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nU<|im_end|>\n<|im_start|>assistant\n")]
    [InlineData(KnownChatTemplates.Llama3, "<B><|start_header_id|>system<|end_header_id|>\n\nS<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nU<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n")]
    [InlineData(KnownChatTemplates.Gemma, "<B><start_of_turn>user\nS\n\nU<end_of_turn>\n<start_of_turn>model\n")]
    public void Render_a_system_and_user_turn(string template, string expected)
    {
        var messages = new List<ChatMessage> { new("system", "S"), new("user", "U") };
        var text = JinjaTemplate.Parse(template).Render(new Dictionary<string, object?>
        {
            ["messages"] = messages, ["add_generation_prompt"] = true, ["bos_token"] = "<B>",
        });
        Assert.Equal(expected, text);
    }

    [RealTokenizerFact]
    public void Gemma_fallback_equals_gemma3s_own_template_on_every_conversation()
    {
        var conversations = ChatTemplateReferenceTests.Conversations();
        using var doc = JsonDocument.Parse(File.ReadAllBytes(TokenizerFixtures.FixturePath("chat_expected_gemma3.json")));
        var renders = doc.RootElement.GetProperty("renders").EnumerateArray().ToList();
        var template = JinjaTemplate.Parse(KnownChatTemplates.Gemma);
        for (var i = 0; i < conversations.Count; i++)
        {
            var c = conversations[i];
            var vars = new Dictionary<string, object?> { ["messages"] = c.Messages, ["add_generation_prompt"] = c.AddGenerationPrompt, ["bos_token"] = "<bos>" };
            if (renders[i].TryGetProperty("text", out var text))
                Assert.Equal(text.GetString(), template.Render(vars));
            else
                Assert.Throws<JinjaException>(() => template.Render(vars));
        }
    }
}
