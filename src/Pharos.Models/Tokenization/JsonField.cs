// Reads typed fields from a tokenizer JSON document and reports a bad one as "file: field path: problem".
using System.Text.Json;

namespace Pharos.Models.Tokenization;

internal readonly struct JsonField
{
    public JsonField(string file, string path, JsonElement element)
    {
        File = file;
        Path = path;
        Element = element;
    }

    public string File { get; }
    public string Path { get; }
    public JsonElement Element { get; }

    public bool IsNull => Element.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined;
    public JsonValueKind Kind => Element.ValueKind;

    public InvalidTokenizerException Error(string problem) =>
        new($"{System.IO.Path.GetFileName(File)}: field '{Path}': {problem}");

    public JsonField? Optional(string name)
    {
        if (Element.ValueKind != JsonValueKind.Object)
            throw Error("expected an object");
        return Element.TryGetProperty(name, out var child) && child.ValueKind != JsonValueKind.Null
            ? new JsonField(File, Join(name), child)
            : null;
    }

    public JsonField Required(string name) => Optional(name) ?? throw new JsonField(File, Join(name), default).Error("missing");

    public JsonField At(int index) => new(File, $"{Path}[{index}]", Element[index]);

    public IEnumerable<JsonField> Items()
    {
        if (Element.ValueKind != JsonValueKind.Array)
            throw Error("expected an array");
        var i = 0;
        foreach (var item in Element.EnumerateArray())
            yield return new JsonField(File, $"{Path}[{i++}]", item);
    }

    public IEnumerable<(string Name, JsonField Value)> Properties()
    {
        if (Element.ValueKind != JsonValueKind.Object)
            throw Error("expected an object");
        foreach (var p in Element.EnumerateObject())
            yield return (p.Name, new JsonField(File, Join(p.Name), p.Value));
    }

    public string String() => Element.ValueKind == JsonValueKind.String ? Element.GetString()! : throw Error($"expected a string, found {Element.ValueKind}");

    public int Int() => Element.ValueKind == JsonValueKind.Number && Element.TryGetInt32(out var v) ? v : throw Error($"expected an integer, found {Element.ValueKind}");

    public bool Bool() => Element.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw Error($"expected true or false, found {Element.ValueKind}"),
    };

    public string? OptionalString(string name) => Optional(name)?.String();
    public bool OptionalBool(string name, bool fallback) => Optional(name)?.Bool() ?? fallback;
    public int? OptionalInt(string name) => Optional(name)?.Int();

    string Join(string name) => Path.Length == 0 ? name : $"{Path}.{name}";
}
