// Every malformed file, index or shard fails with SafetensorsFormatException naming the file and the tensor or field.
using Pharos.Models.Safetensors;
using Pharos.Tests;
using TorchSharp;

namespace Pharos.Models.Tests.Safetensors;

public class SafetensorsBadInputTests
{
    const string Two = """{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"I8","shape":[4],"data_offsets":[8,12]}}""";

    static SafetensorsFormatException Fails(byte[] bytes, params string[] mentions)
    {
        using var dir = new TempDir();
        var path = dir.File("bad.safetensors");
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<SafetensorsFormatException>(() => SafetensorsFile.Open(path).Dispose());
        Assert.Contains(path, e.Message);
        Assert.Equal(path, e.File);
        foreach (var mention in mentions)
            Assert.Contains(mention, e.Message);
        return e;
    }

    [Fact]
    public void Control_case_is_valid()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.File("ok.safetensors"), SafetensorsTestFiles.Raw(Two, new byte[12]));
        using var file = SafetensorsFile.Open(dir.File("ok.safetensors"));
        Assert.Equal(["a", "b"], file.Tensors.Select(t => t.Name));
    }

    [Fact]
    public void Truncated_file() => Assert.Equal("b", Fails(SafetensorsTestFiles.Raw(Two, new byte[10]), "\"b\"", "outside the data area").Tensor);

    [Fact]
    public void File_shorter_than_the_length_prefix() => Fails([1, 2, 3], "too short");

    [Fact]
    public void Header_length_beyond_the_file() => Fails(SafetensorsTestFiles.Raw(Two, new byte[12], declaredLength: 5000), "5000", "beyond the end");

    [Fact]
    public void Header_length_above_the_100_MB_cap() => Fails(SafetensorsTestFiles.Raw(Two, new byte[12], declaredLength: 100_000_001), "limit");

    [Fact]
    public void Header_that_is_not_json() => Fails(SafetensorsTestFiles.Raw("{\"a\": nope}"), "not valid JSON");

    [Fact]
    public void Header_that_is_not_utf8() => Fails(SafetensorsTestFiles.Raw("{}").Select((b, i) => i == 8 + 2 ? (byte)0xFF : b).ToArray(), "UTF-8");

    [Fact]
    public void Header_that_is_not_an_object() => Fails(SafetensorsTestFiles.Raw("[1, 2]"), "not an object");

    [Fact]
    public void Unknown_dtype() =>
        Fails(SafetensorsTestFiles.Raw("""{"a":{"dtype":"F8_E4M3","shape":[1],"data_offsets":[0,1]}}""", new byte[1]), "\"a\"", "dtype", "F8_E4M3");

    [Fact]
    public void Lower_case_dtype_is_unknown() =>
        Fails(SafetensorsTestFiles.Raw("""{"a":{"dtype":"f32","shape":[1],"data_offsets":[0,4]}}""", new byte[4]), "\"a\"", "dtype");

    [Theory]
    [InlineData("""{"a":{"shape":[1],"data_offsets":[0,4]}}""", "dtype")]
    [InlineData("""{"a":{"dtype":"F32","data_offsets":[0,4]}}""", "shape")]
    [InlineData("""{"a":{"dtype":"F32","shape":[1]}}""", "data_offsets")]
    [InlineData("""{"a":{"dtype":4,"shape":[1],"data_offsets":[0,4]}}""", "dtype")]
    [InlineData("""{"a":{"dtype":"F32","shape":"1","data_offsets":[0,4]}}""", "shape")]
    [InlineData("""{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}""", "shape")]
    [InlineData("""{"a":{"dtype":"F32","shape":[1.0],"data_offsets":[0,4]}}""", "shape")]
    [InlineData("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4,8]}}""", "data_offsets")]
    [InlineData("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,"4"]}}""", "data_offsets")]
    [InlineData("""{"a":[1,2]}""", "not an object")]
    public void Entry_fields_of_the_wrong_type(string header, string field) =>
        Fails(SafetensorsTestFiles.Raw(header, new byte[4]), "\"a\"", field);

    [Fact]
    public void Offsets_outside_the_data_area() =>
        Fails(SafetensorsTestFiles.Raw("""{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}""", new byte[8]), "\"a\"", "data_offsets", "outside the data area");

    [Fact]
    public void End_before_begin() =>
        Fails(SafetensorsTestFiles.Raw("""{"a":{"dtype":"F32","shape":[0],"data_offsets":[4,0]}}""", new byte[4]), "\"a\"", "before begin");

    [Fact]
    public void Overlapping_tensors() =>
        Fails(SafetensorsTestFiles.Raw("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", new byte[8]),
            "\"b\"", "overlaps", "\"a\"");

    [Fact]
    public void Hole_between_tensors() =>
        Fails(SafetensorsTestFiles.Raw("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}""", new byte[12]),
            "\"b\"", "covered by no tensor");

    [Fact]
    public void Trailing_bytes_after_the_last_tensor() =>
        Fails(SafetensorsTestFiles.Raw(Two, new byte[20]), "not fully covered");

    [Fact]
    public void Size_mismatch_between_shape_and_offsets() =>
        Fails(SafetensorsTestFiles.Raw("""{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}""", new byte[8]), "\"a\"", "needs 12 bytes");

    [Fact]
    public void Shape_product_overflow() =>
        Fails(SafetensorsTestFiles.Raw("""{"a":{"dtype":"F64","shape":[4294967296,4294967296,0],"data_offsets":[0,0]}}"""), "\"a\"", "overflows");

    [Fact]
    public void Duplicate_tensor_name() =>
        Fails(SafetensorsTestFiles.Raw("""{"a":{"dtype":"I8","shape":[1],"data_offsets":[0,1]},"a":{"dtype":"I8","shape":[1],"data_offsets":[1,2]}}""", new byte[2]), "\"a\"", "twice");

    [Fact]
    public void Non_string_metadata_value() =>
        Fails(SafetensorsTestFiles.Raw("""{"__metadata__":{"format":"pt","step":3}}"""), "__metadata__", "\"step\"", "not a string");

    [Theory]
    [InlineData("""{"\ud800":{"dtype":"I8","shape":[0],"data_offsets":[0,0]}}""", "header key")]
    [InlineData("""{"__metadata__":{"k":"\udc00"}}""", "__metadata__")]
    [InlineData("""{"__metadata__":{"\udc00x":"v"}}""", "__metadata__")]
    public void Lone_surrogate_escapes_are_not_valid_strings(string header, string mention) =>
        Fails(SafetensorsTestFiles.Raw(header), mention, "Unicode");

    [Fact]
    public void Metadata_that_is_not_an_object() =>
        Fails(SafetensorsTestFiles.Raw("""{"__metadata__":["pt"]}"""), "__metadata__");

    [Fact]
    public void Missing_shard()
    {
        using var dir = new TempDir();
        WriteShardedPair(dir);
        File.Delete(dir.File("model-00002-of-00002.safetensors"));
        var e = Assert.Throws<SafetensorsFormatException>(() => SafetensorsCheckpoint.Open(dir.Path).Dispose());
        Assert.Contains(dir.File("model.safetensors.index.json"), e.Message);
        Assert.Contains("model-00002-of-00002.safetensors", e.Message);
        Assert.Contains("\"y\"", e.Message);
    }

    [Fact]
    public void Index_naming_a_tensor_absent_from_its_shard()
    {
        using var dir = new TempDir();
        WriteShardedPair(dir);
        var index = dir.File("model.safetensors.index.json");
        File.WriteAllText(index, File.ReadAllText(index).Replace("\"y\": \"model-00002", "\"y\": \"model-00001"));
        var e = Assert.Throws<SafetensorsFormatException>(() => SafetensorsCheckpoint.Open(dir.Path).Dispose());
        Assert.Contains(index, e.Message);
        Assert.Contains("model-00001-of-00002.safetensors", e.Message);
        Assert.Equal("y", e.Tensor);
    }

    [Theory]
    [InlineData("{\"weight_map\": {\"x\": \"../model-00001-of-00002.safetensors\"}}", "\"x\"")]
    [InlineData("{\"weight_map\": {\"x\": 1}}", "\"x\"")]
    [InlineData("{\"metadata\": {}}", "weight_map")]
    [InlineData("{\"weight_map\": ", "not valid JSON")]
    [InlineData("{\"weight_map\": {\"\\ud800\": \"model-00001-of-00002.safetensors\"}}", "Unicode")]
    public void Malformed_index(string json, string mention)
    {
        using var dir = new TempDir();
        WriteShardedPair(dir);
        File.WriteAllText(dir.File("model.safetensors.index.json"), json);
        var e = Assert.Throws<SafetensorsFormatException>(() => SafetensorsCheckpoint.Open(dir.Path).Dispose());
        Assert.Contains(dir.File("model.safetensors.index.json"), e.Message);
        Assert.Contains(mention, e.Message);
    }

    [Fact]
    public void Corrupt_shard_is_named_in_the_error()
    {
        using var dir = new TempDir();
        WriteShardedPair(dir);
        var shard = dir.File("model-00002-of-00002.safetensors");
        File.WriteAllBytes(shard, File.ReadAllBytes(shard)[..^1]);
        var e = Assert.Throws<SafetensorsFormatException>(() => SafetensorsCheckpoint.Open(dir.Path).Dispose());
        Assert.Equal(shard, e.File);
        Assert.Equal("y", e.Tensor);
    }

    static void WriteShardedPair(TempDir dir)
    {
        using var x = torch.ones(4);
        using var y = torch.ones(4);
        SafetensorsWriter.WriteCheckpoint(dir.Path, [new("x", x), new("y", y)], maxShardBytes: 16);
        Assert.True(File.Exists(dir.File("model-00002-of-00002.safetensors")));
    }
}
