// Round trips through SafetensorsWriter and the readers: single files, sharded checkpoints, metadata, dtype conversion.
using System.Text.Json;
using Pharos.Models.Safetensors;
using Pharos.Tests;
using TorchSharp;

namespace Pharos.Models.Tests.Safetensors;

public class SafetensorsRoundTripTests
{
    static readonly Dictionary<string, string> Metadata = new() { ["format"] = "pt", ["pharos"] = "ünï \"x\"\n" };

    [Fact]
    public void Every_dtype_round_trips_through_a_single_file_with_metadata()
    {
        var tensors = SafetensorsTestFiles.EveryDType();
        using var dir = new TempDir();
        try
        {
            SafetensorsWriter.Write(dir.File("a.safetensors"), tensors, Metadata);
            using var file = SafetensorsFile.Open(dir.File("a.safetensors"));
            Assert.Equal(Metadata.ToList(), file.Metadata.ToList());
            Assert.Equal(tensors.Select(t => t.Key).Order(), file.Tensors.Select(t => t.Name).Order());
            SafetensorsTestFiles.AssertSameTensors(tensors, name => file.Load(name));
            Assert.False(File.Exists(dir.File("a.safetensors.tmp")));
            Export(dir.File("a.safetensors"), "single.safetensors");
        }
        finally
        {
            SafetensorsTestFiles.DisposeAll(tensors);
        }
    }

    [Fact]
    public void Every_dtype_round_trips_through_a_sharded_checkpoint()
    {
        var tensors = SafetensorsTestFiles.EveryDType();
        using var dir = new TempDir();
        try
        {
            SafetensorsWriter.WriteCheckpoint(dir.Path, tensors, maxShardBytes: 64, metadata: Metadata);
            var shards = Directory.GetFiles(dir.Path, "model-*-of-*.safetensors");
            Assert.True(shards.Length > 2, $"expected several shards, got {shards.Length}");
            Assert.False(File.Exists(dir.File("model.safetensors")));

            using var checkpoint = SafetensorsCheckpoint.Open(dir.Path);
            Assert.Equal(tensors.Select(t => t.Key).Order(), checkpoint.Names.Order());
            Assert.Equal(shards.Length, checkpoint.Files.Count);
            SafetensorsTestFiles.AssertSameTensors(tensors, name => checkpoint.Load(name));
            foreach (var file in checkpoint.Files)
                Assert.Equal(Metadata.ToList(), file.Metadata.ToList());

            using var index = JsonDocument.Parse(File.ReadAllBytes(dir.File("model.safetensors.index.json")));
            var expectedTotal = tensors.Sum(t => t.Value.numel() * t.Value.ElementSize);
            Assert.Equal(expectedTotal, index.RootElement.GetProperty("metadata").GetProperty("total_size").GetInt64());
            foreach (var entry in index.RootElement.GetProperty("weight_map").EnumerateObject())
                Assert.Equal(Path.GetFileName(checkpoint.FileOf(entry.Name)), entry.Value.GetString());
            Export(dir.Path, "sharded");
        }
        finally
        {
            SafetensorsTestFiles.DisposeAll(tensors);
        }
    }

    [Fact]
    public void Checkpoint_that_fits_is_one_model_safetensors_and_replaces_an_older_sharded_save()
    {
        var tensors = SafetensorsTestFiles.EveryDType();
        using var dir = new TempDir();
        try
        {
            SafetensorsWriter.WriteCheckpoint(dir.Path, tensors, maxShardBytes: 64);
            SafetensorsWriter.WriteCheckpoint(dir.Path, tensors);
            Assert.Equal(["model.safetensors"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
            using var checkpoint = SafetensorsCheckpoint.Open(dir.Path);
            SafetensorsTestFiles.AssertSameTensors(tensors, name => checkpoint.Load(name));
        }
        finally
        {
            SafetensorsTestFiles.DisposeAll(tensors);
        }
    }

    [Fact]
    public void Shards_split_like_huggingface_hub()
    {
        // 10 + 30 share a shard; 100 (over the limit) gets its own, placed before the shard being filled.
        List<KeyValuePair<string, torch.Tensor>> tensors =
        [
            new("a", torch.zeros(10, dtype: torch.uint8)),
            new("big", torch.zeros(100, dtype: torch.uint8)),
            new("b", torch.zeros(30, dtype: torch.uint8)),
            new("c", torch.zeros(30, dtype: torch.uint8)),
        ];
        var shards = SafetensorsShardPlan.Split(tensors, 50, out var total);
        Assert.Equal(170, total);
        Assert.Equal([["big"], ["a", "b"], ["c"]], shards.Select(s => s.Select(t => t.Key).ToArray()).ToArray());
        Assert.Equal("model-00002-of-00003.safetensors", SafetensorsShardPlan.ShardName("model", 1, 3));
        SafetensorsTestFiles.DisposeAll(tensors);
    }

    [Fact]
    public void Index_json_matches_pythons_json_dumps_indent_2_sort_keys()
    {
        // Expected text produced by Python: json.dumps(index, indent=2, sort_keys=True) + "\n".
        var json = SafetensorsShardPlan.IndexJson(10,
        [
            new("b", "m-2.safetensors"), new("aé\"q", "m-1.safetensors"),
            new("\U0001F600", "m-1.safetensors"), new("\uffef", "m-2.safetensors"),
        ]);
        Assert.Equal("{\n  \"metadata\": {\n    \"total_size\": 10\n  },\n  \"weight_map\": {\n    \"a\\u00e9\\\"q\": \"m-1.safetensors\",\n    \"b\": \"m-2.safetensors\",\n    \"\\uffef\": \"m-2.safetensors\",\n    \"\\ud83d\\ude00\": \"m-1.safetensors\"\n  }\n}\n", json);
        Assert.Equal("{\n  \"metadata\": {\n    \"total_size\": 0\n  },\n  \"weight_map\": {}\n}\n", SafetensorsShardPlan.IndexJson(0, []));
    }

    [Fact]
    public void Writer_accepts_non_contiguous_tensors_and_load_converts_dtype()
    {
        using var dir = new TempDir();
        using var square = torch.arange(12, dtype: torch.float32).reshape(3, 4);
        using var transposed = square.t();
        SafetensorsWriter.Write(dir.File("t.safetensors"), [new("t", transposed)]);
        using var file = SafetensorsFile.Open(dir.File("t.safetensors"));
        Assert.Equal(new long[] { 4, 3 }, file.Info("t").Shape);
        using var loaded = file.Load("t", torch.ScalarType.BFloat16, torch.CPU);
        Assert.Equal(torch.ScalarType.BFloat16, loaded.dtype);
        using var back = loaded.to_type(torch.float32);
        using var same = back.eq(transposed).all();
        Assert.True(same.item<bool>());
    }

    [Fact]
    public void Empty_tensor_set_writes_a_valid_file()
    {
        using var dir = new TempDir();
        SafetensorsWriter.Write(dir.File("e.safetensors"), []);
        Assert.Equal(16, new FileInfo(dir.File("e.safetensors")).Length); // "{}" padded to 8
        using var file = SafetensorsFile.Open(dir.File("e.safetensors"));
        Assert.Empty(file.Tensors);
        Assert.Empty(file.Metadata);
    }

    [Fact]
    public void Writer_rejects_duplicate_names_and_unsupported_dtypes()
    {
        using var dir = new TempDir();
        using var a = torch.zeros(2);
        using var complex = torch.zeros(2, dtype: torch.complex64);
        Assert.Throws<ArgumentException>(() => SafetensorsWriter.Write(dir.File("d.safetensors"), [new("a", a), new("a", a)]));
        var e = Assert.Throws<ArgumentException>(() => SafetensorsWriter.Write(dir.File("d.safetensors"), [new("c", complex)]));
        Assert.Contains("\"c\"", e.Message);
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void Checkpoint_opens_a_lone_safetensors_file_under_any_name()
    {
        var tensors = SafetensorsTestFiles.EveryDType();
        using var dir = new TempDir();
        try
        {
            SafetensorsWriter.Write(dir.File("adapter_model.safetensors"), tensors);
            using var checkpoint = SafetensorsCheckpoint.Open(dir.Path);
            SafetensorsTestFiles.AssertSameTensors(tensors, name => checkpoint.Load(name));
            Assert.Throws<KeyNotFoundException>(() => checkpoint.Info("missing"));
        }
        finally
        {
            SafetensorsTestFiles.DisposeAll(tensors);
        }
    }

    /// <summary>Copies C#-written files out for the one-off check with Python safetensors (see Fixtures/safetensors/README.md).</summary>
    static void Export(string source, string name)
    {
        var target = Environment.GetEnvironmentVariable("PHAROS_SAFETENSORS_EXPORT");
        if (string.IsNullOrEmpty(target))
            return;
        var destination = Path.Combine(target, name);
        if (File.Exists(source))
        {
            Directory.CreateDirectory(target);
            File.Copy(source, destination, overwrite: true);
            return;
        }
        Directory.CreateDirectory(destination);
        foreach (var file in Directory.GetFiles(source))
            File.Copy(file, Path.Combine(destination, Path.GetFileName(file)), overwrite: true);
    }
}
