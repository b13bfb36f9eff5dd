// One construct per case (whitespace control, loops, set/namespace, filters, tests, operators, slices, methods, macros),
// rendered by Pharos' Jinja and compared with real jinja2 configured as transformers configures it (jinja_cases.json).
using System.Text.Json;
using Pharos.Models.Tokenization.Jinja;

namespace Pharos.Models.Tests.Tokenization;

public sealed class JinjaReferenceCaseTests
{
    public static TheoryData<int> Cases()
    {
        var data = new TheoryData<int>();
        for (var i = 0; i < Load().Count; i++)
            data.Add(i);
        return data;
    }

    static List<JsonElement> Load()
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(TokenizerFixtures.FixturePath("jinja_cases.json")));
        return doc.RootElement.GetProperty("cases").EnumerateArray().Select(e => e.Clone()).ToList();
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Renders_like_jinja2(int index)
    {
        var c = Load()[index];
        var template = c.GetProperty("template").GetString()!;
        var vars = c.GetProperty("vars").EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone());
        if (c.TryGetProperty("text", out var text))
        {
            Assert.Equal(text.GetString(), JinjaTemplate.Parse(template).Render(vars));
            return;
        }
        var error = Assert.Throws<JinjaException>(() => JinjaTemplate.Parse(template).Render(vars));
        if (c.GetProperty("raised").GetBoolean())
        {
            Assert.True(error.Raised);
            Assert.Equal(c.GetProperty("error").GetString(), error.Message);
        }
    }
}
