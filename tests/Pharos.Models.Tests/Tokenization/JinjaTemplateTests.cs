// Pharos-specific Jinja behaviour: errors that name the template line, unsupported constructs, .NET inputs, template reuse.
using Pharos.Models.Tokenization.Jinja;

namespace Pharos.Models.Tests.Tokenization;

public sealed class JinjaTemplateTests
{
    static string Render(string template, params (string Name, object? Value)[] vars) =>
        JinjaTemplate.Parse(template).Render(vars.ToDictionary(v => v.Name, v => v.Value));

    [Theory]
    [InlineData("line one\n{% include 'other.jinja' %}", 2, "include")]
    [InlineData("a\nb\n{% extends 'base' %}", 3, "extends")]
    [InlineData("{% for x in xs recursive %}{% endfor %}", 1, "recursive")]
    [InlineData("\n\n\n{{ x | no_such_filter }}", 4, "no_such_filter")]
    [InlineData("{% if x %}\nno end", 1, "endif")]
    [InlineData("{% for x in y %}\n{% endif %}", 2, "endif")]
    [InlineData("ok\n{{ 'unclosed }}", 2, "")]
    [InlineData("{{ x is frobnicated }}", 1, "frobnicated")]
    public void Unsupported_or_malformed_constructs_name_the_line(string template, int line, string mention)
    {
        var e = Assert.Throws<JinjaException>(() => Render(template, ("x", 1L), ("xs", new List<object?>()), ("y", new List<object?> { 1 })));
        Assert.Equal(line, e.Line);
        Assert.Contains($"line {line}", e.Message);
        Assert.Contains(mention, e.Message);
    }

    [Fact]
    public void Raise_exception_keeps_the_templates_message()
    {
        var e = Assert.Throws<JinjaException>(() => Render("{{ raise_exception('Conversation roles must alternate') }}"));
        Assert.True(e.Raised);
        Assert.Equal("Conversation roles must alternate", e.Message);
    }

    [Fact]
    public void Accepts_dotnet_values_records_and_nested_collections()
    {
        var tools = new List<Dictionary<string, object?>> { new() { ["name"] = "f", ["n"] = 2, ["ok"] = true, ["x"] = 1.5f } };
        Assert.Equal("[{\"name\": \"f\", \"n\": 2, \"ok\": true, \"x\": 1.5}] 2", Render("{{ tools | tojson }} {{ tools[0].n }}", ("tools", tools)));
        Assert.Equal("user:hi", Render("{{ m.role }}:{{ m.content }}", ("m", new Pharos.Models.Tokenization.ChatMessage("user", "hi"))));
    }

    [Fact]
    public void A_parsed_template_renders_many_times_without_state_leaking()
    {
        var t = JinjaTemplate.Parse("{% set ns = namespace(n=0) %}{% for x in xs %}{% set ns.n = ns.n + x %}{% endfor %}{{ ns.n }}");
        Assert.Equal("6", t.Render(new Dictionary<string, object?> { ["xs"] = new[] { 1, 2, 3 } }));
        Assert.Equal("6", t.Render(new Dictionary<string, object?> { ["xs"] = new[] { 1, 2, 3 } }));
    }

    [Fact]
    public void Generation_blocks_render_their_body()
    {
        Assert.Equal("<a>text</a>", Render("<a>{% generation %}{{ t }}{% endgeneration %}</a>", ("t", "text")));
    }

    [Fact]
    public void Strftime_now_formats_the_current_date()
    {
        var today = DateTime.Now;
        Assert.Equal(today.ToString("dd MMM yyyy", System.Globalization.CultureInfo.InvariantCulture), Render("{{ strftime_now('%d %b %Y') }}"));
    }

    [Fact]
    public void Strings_index_and_measure_by_code_point_like_python()
    {
        Assert.Equal("3 😀 a😀", Render("{{ s | length }} {{ s[1] }} {{ s[:2] }}", ("s", "a😀b")));
    }
}
