// GGUF export checked against what llama.cpp's own converter writes for the same folder (Fixtures/gguf/*.convert.json,
// made by convert_hf_to_gguf.py of llama.cpp 0.7.0): the file parses as GGUF v3 with aligned tensors, every key the
// converter writes is there with its type and value (the few deliberate differences are listed below), and every tensor
// has the converter's name, ggml type, shape and bytes (SHA-256), q/k permutation, Gemma's norm + 1 and Q8_0 included.
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pharos.Models.Errors;
using Pharos.Models.Gguf;
using Pharos.Tests;

namespace Pharos.Models.Tests.Gguf;

public class GgufExportTests
{
    /// <summary>Keys whose value is the converter's own invention: a title-cased folder name and a size label; add_sep_token
    /// is a BERT-style flag with no meaning for these models.</summary>
    static readonly HashSet<string> ConverterOnly = ["general.name", "general.size_label", "tokenizer.ggml.add_sep_token"];

    /// <summary>Keys Pharos adds: the alignment readers would assume anyway, add_eos_token (false: these tokenizers add
    /// no EOS), add_space_prefix (from the tokenizer's pre-tokenizer; the converter forces false for every gemma2), and the
    /// head/RoPE/vocab sizes it writes for every architecture (the converter only for llama).</summary>
    static bool PharosMayAdd(string key) => key is "general.alignment" or "tokenizer.ggml.add_eos_token" or "tokenizer.ggml.add_space_prefix"
        || key.EndsWith(".attention.key_length", StringComparison.Ordinal) || key.EndsWith(".attention.value_length", StringComparison.Ordinal)
        || key.EndsWith(".rope.dimension_count", StringComparison.Ordinal) || key.EndsWith(".vocab_size", StringComparison.Ordinal)
        || key.EndsWith(".rope.freq_base", StringComparison.Ordinal);

    [Theory]
    [InlineData("tiny-llama", "f32")]
    [InlineData("tiny-llama", "q8_0")]
    [InlineData("tiny-qwen2", "f32")]
    [InlineData("tiny-gemma2-q16", "f32")]
    [InlineData("stories260K", "f32")]
    [InlineData("stories260K", "q8_0")]
    public void Export_equals_llama_cpp_converter(string name, string type)
    {
        using var temp = new TempDir();
        var folder = Assemble(temp, name);
        var output = temp.File("model.gguf");
        var result = GgufExporter.Export(folder, output, GgufOutputType.Parse(type));
        var file = GgufTestReader.Read(output);
        var expected = JsonNode.Parse(File.ReadAllText(RepoPaths.Fixtures("Pharos.Models.Tests", "gguf", $"{name}.{type}.convert.json")))!;

        Assert.Equal(3u, file.Version);
        Assert.Equal(32, file.Alignment);
        foreach (var (key, entry) in expected["metadata"]!.AsObject())
        {
            if (ConverterOnly.Contains(key)) continue;
            Assert.True(file.Metadata.TryGetValue(key, out var ours), $"{name}: {key} is missing");
            Assert.Equal(entry!["types"]!.AsArray().Select(t => (string)t!), ours.Types);
            if (key == "tokenizer.ggml.add_space_prefix" && name.Contains("gemma2")) continue;
            AssertSameValue(entry["value"]!, ours.Value, $"{name}: {key}");
        }
        foreach (var key in file.Metadata.Keys.Where(k => !expected["metadata"]!.AsObject().ContainsKey(k)))
            Assert.True(PharosMayAdd(key), $"{name}: Pharos writes {key}, which the converter does not");

        var tensors = expected["tensors"]!.AsArray();
        Assert.Equal(tensors.Select(t => (string)t!["name"]!), file.Tensors.Select(t => t.Name));
        Assert.Equal(tensors.Count, result.Tensors);
        foreach (var (want, got) in tensors.Zip(file.Tensors))
        {
            Assert.Equal((string)want!["type"]!, ((GgmlType)got.Type).ToString());
            Assert.Equal(want["shape"]!.AsArray().Select(d => (long)d!), got.GgmlShape);
            Assert.True((string)want["sha256"]! == Convert.ToHexStringLower(SHA256.HashData(got.Data)), $"{name}: {got.Name} bytes differ from the converter's");
        }
    }

    [Fact]
    public void Q8_0_falls_back_to_f16_where_rows_do_not_fill_blocks()
    {
        using var temp = new TempDir();
        var result = GgufExporter.Export(Assemble(temp, "stories260K"), temp.File("q8.gguf"), GgufOutputType.Parse("q8_0"));
        // stories260K's MLP width is 172: ffn_down's rows are 172 long, not a multiple of 32.
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"blk.{i}.ffn_down.weight"), result.FallbackTensors);
        var file = GgufTestReader.Read(temp.File("q8.gguf"));
        Assert.Equal((uint)GgmlType.F16, file.Tensors.Single(t => t.Name == "blk.0.ffn_down.weight").Type);
        Assert.Equal((uint)GgmlType.Q8_0, file.Tensors.Single(t => t.Name == "blk.0.ffn_up.weight").Type);
        Assert.Equal((uint)GgmlType.F32, file.Tensors.Single(t => t.Name == "blk.0.attn_norm.weight").Type);
    }

    [Theory]
    [InlineData("tiny-gemma2", "query_pre_attn_scalar")]
    [InlineData("tiny-qwen2-sliding", "use_sliding_window")]
    [InlineData("tiny-llama-no-tokenizer", "tokenizer.json")]
    public void What_llama_cpp_would_compute_differently_is_refused_by_name(string name, string field)
    {
        using var temp = new TempDir();
        var folder = Assemble(temp, name);
        var error = Assert.Throws<PharosException>(() => GgufExporter.Export(folder, temp.File("x.gguf"), GgufOutputType.Parse("f32")));
        Assert.Contains(field, error.Message);
        Assert.False(File.Exists(temp.File("x.gguf")));
    }

    [Fact]
    public void Unknown_type_is_refused_naming_the_choices() =>
        Assert.Contains("q8_0", Assert.Throws<PharosException>(() => GgufOutputType.Parse("q4_k")).Message);

    /// <summary>The model folders make_gguf_fixtures.py assembles: tiny fixtures plus the 300-token tokenizer, tiny-gemma2
    /// with query_pre_attn_scalar = head_dim; and broken variants for the refusals.</summary>
    static string Assemble(TempDir temp, string name)
    {
        var folder = Path.Combine(temp.Path, name);
        Directory.CreateDirectory(folder);
        string source = name == "stories260K" ? RepoPaths.Samples("models", "stories260K")
            : RepoPaths.Fixtures("Pharos.Models.Tests", name.Replace("-q16", "").Replace("-sliding", "").Replace("-no-tokenizer", ""));
        foreach (var f in Directory.GetFiles(source)) File.Copy(f, Path.Combine(folder, Path.GetFileName(f)));
        if (name == "stories260K") return folder;
        if (!name.EndsWith("-no-tokenizer", StringComparison.Ordinal))
            foreach (var f in Directory.GetFiles(RepoPaths.Fixtures("Pharos.Models.Tests", "gguf", "tokenizer300")))
                File.Copy(f, Path.Combine(folder, Path.GetFileName(f)));
        var configPath = Path.Combine(folder, "config.json");
        var config = JsonNode.Parse(File.ReadAllText(configPath))!.AsObject();
        if (name.EndsWith("-q16", StringComparison.Ordinal)) config["query_pre_attn_scalar"] = (int)config["head_dim"]!;
        if (name.EndsWith("-sliding", StringComparison.Ordinal))
        {
            config["use_sliding_window"] = true;
            config["sliding_window"] = 8;
            config["max_window_layers"] = 0;
            config.Remove("layer_types");
        }
        File.WriteAllText(configPath, config.ToJsonString());
        return folder;
    }

    static void AssertSameValue(JsonNode expected, object actual, string what)
    {
        switch (expected)
        {
            case JsonArray array:
                var items = Assert.IsType<List<object>>(actual);
                Assert.True(array.Count == items.Count, $"{what}: {items.Count} items, expected {array.Count}");
                for (int i = 0; i < array.Count; i++) AssertSameValue(array[i]!, items[i], $"{what}[{i}]");
                break;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                Assert.True((string)v! == (string)actual, $"{what}: '{actual}', expected '{(string)v!}'");
                break;
            case JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False:
                Assert.True((bool)v == (bool)actual, $"{what}: {actual}, expected {(bool)v}");
                break;
            case JsonValue v:
                // float32 values were widened to double on both sides, so they compare exactly.
                Assert.True((double)v == Convert.ToDouble(actual, System.Globalization.CultureInfo.InvariantCulture), $"{what}: {actual}, expected {(double)v}");
                break;
        }
    }
}
