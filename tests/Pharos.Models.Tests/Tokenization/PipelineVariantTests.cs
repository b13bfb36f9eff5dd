// Normalizers, pre-tokenizers, decoders and added-token flags the seven real tokenizers do not use, each tried on
// Llama-2's vocabulary against Hugging Face tokenizers (pipeline_variants.json.gz, made by make_variants.py).
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pharos.Models.Tokenization;
using Pharos.Tests;

namespace Pharos.Models.Tests.Tokenization;

public sealed class PipelineVariantTests
{
    static readonly Lazy<JsonObject> Reference = new(() =>
    {
        using var gz = new GZipStream(File.OpenRead(TokenizerFixtures.FixturePath("pipeline_variants.json.gz")), CompressionMode.Decompress);
        return JsonNode.Parse(gz)!.AsObject();
    });

    public static TheoryData<string> Variants()
    {
        var data = new TheoryData<string>();
        foreach (var name in new[]
        {
            "metaspace_always_split", "metaspace_first_nosplit", "metaspace_never", "nfkc_lowercase_whitespacesplit_digits",
            "nfd_strip_whitespace", "replace_regex_digits_contiguous", "split_merged_with_previous", "split_merged_with_next",
            "split_removed_inverted", "split_literal_isolated", "added_token_flags",
        })
            data.Add(name);
        return data;
    }

    [RealTokenizerTheory]
    [MemberData(nameof(Variants))]
    public void Variant_matches_hugging_face(string name)
    {
        var reference = Reference.Value;
        var variant = reference["variants"]![name]!.AsObject();
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(TokenizerFixtures.Folder("llama2"), "tokenizer.json")))!.AsObject();
        foreach (var (key, value) in variant["patch"]!.AsObject())
        {
            if (key == "added_tokens_extra")
                foreach (var token in value!.AsArray())
                    json["added_tokens"]!.AsArray().Add(token!.DeepClone());
            else
                json[key] = value?.DeepClone();
        }
        using var dir = new TempDir();
        File.WriteAllText(dir.File("tokenizer.json"), json.ToJsonString());
        var tokenizer = HfTokenizer.Load(dir.Path);

        var texts = reference["texts"]!.AsArray().Select(t => t!.GetValue<string>()).ToArray();
        var ids = variant["ids"]!.AsArray();
        var decoded = variant["decoded"]!.AsArray();
        var failures = new StringBuilder();
        var bad = 0;
        for (var i = 0; i < texts.Length; i++)
        {
            var expected = ids[i]!.AsArray().Select(x => x!.GetValue<int>()).ToArray();
            var actual = tokenizer.Encode(texts[i]);
            var text = tokenizer.Decode(expected);
            if ((!actual.SequenceEqual(expected) || text != decoded[i]!.GetValue<string>()) && ++bad <= 3)
                failures.AppendLine($"line {i} {HfTokenizerReferenceTests.Show(texts[i])}\n  expected {string.Join(",", expected.Take(30))} {HfTokenizerReferenceTests.Show(decoded[i]!.GetValue<string>())}\n  actual   {string.Join(",", actual.Take(30))} {HfTokenizerReferenceTests.Show(text)}");
        }
        Assert.True(bad == 0, $"{name}: {bad} of {texts.Length} lines differ\n{failures}");
    }
}
