// `pharos merge` and `pharos forward --adapter` on adapters PEFT itself saved (Training's Fixtures/peft): the merged
// weights are PEFT's merge_and_unload() ones (modules_to_save included) and the unmerged DoRA logits are PEFT's.
using Pharos.Models.Safetensors;
using Pharos.Tests;
using static TorchSharp.torch;

namespace Pharos.Cli.Tests;

public class AdapterCommandsTests
{
    static string Peft(string name) => RepoPaths.Fixtures("Pharos.Training.Tests", "peft", name);

    [Fact]
    public void Merge_equals_peft_merge_and_unload_with_modules_to_save()
    {
        using var temp = new TempDir();
        var r = CliProcess.Run("merge", "--model", RepoPaths.Fixtures("Pharos.Models.Tests", "tiny-llama"), "--adapter", Peft("modules-to-save"), "--output", temp.File("merged"));
        Assert.Equal(0, r.ExitCode);
        using var merged = SafetensorsFile.Open(temp.File("merged/model.safetensors"));
        using var expected = SafetensorsFile.Open(Peft("modules-to-save.expected.safetensors"));
        var keys = expected.Tensors.Select(t => t.Name).Where(k => k.StartsWith("merged.", StringComparison.Ordinal)).ToList();
        Assert.Contains("merged.lm_head.weight", keys);
        foreach (var key in keys)
        {
            using var want = expected.Load(key);
            using var got = merged.Load(key["merged.".Length..]);
            Assert.True(got.allclose(want, rtol: 1e-5, atol: 1e-6), $"{key} differs from PEFT's merge_and_unload()");
        }
    }

    [Fact]
    public void Forward_with_a_dora_adapter_gives_peft_logits()
    {
        using var temp = new TempDir();
        using var expected = SafetensorsFile.Open(Peft("dora.expected.safetensors"));
        using var ids = expected.Load("input_ids");
        var row = string.Join(",", ids[0].data<long>().ToArray());
        var r = CliProcess.Run("forward", RepoPaths.Fixtures("Pharos.Models.Tests", "tiny-qwen2"), "--adapter", Peft("dora"), "--input-ids", row, "-o", temp.File("logits.safetensors"));
        Assert.Equal(0, r.ExitCode);
        using var file = SafetensorsFile.Open(temp.File("logits.safetensors"));
        using var logits = file.Load("logits");
        using var want = expected.Load("logits").narrow(0, 0, 1);
        Assert.True(logits.allclose(want, rtol: 1e-5, atol: 1e-5), $"max |Δ| {(logits - want).abs().max().item<float>()}");
    }
}
