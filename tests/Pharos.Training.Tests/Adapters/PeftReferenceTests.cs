// Exactness against PEFT's own code (Fixtures/peft, made by make_peft_fixtures.py with PEFT 0.20.1.dev0): adapters PEFT
// saved with target_modules as a list, a regex string and "all-linear", with modules_to_save, rsLoRA and DoRA load in
// Pharos with PEFT's logits and training gradients, merge to PEFT's merge_and_unload() weights, and Pharos writes them
// back byte for byte as PEFT did.
using System.Text.Json.Nodes;
using Pharos.Models.Errors;
using Pharos.Models.Loading;
using Pharos.Models.Safetensors;
using Pharos.Models.Transformer;
using Pharos.Tests;
using Pharos.Training.Adapters;
using static TorchSharp.torch;

namespace Pharos.Training.Tests.Adapters;

public class PeftReferenceTests
{
    // float32 from the same weights through another kernel order. Logits get atol 1e-5, or twice the fixture's own
    // float32_noise (PEFT's float32 logits vs its float64 ones) where float32 cannot do better: 6e-5 on tiny-gemma2
    // all-linear (its q/k and norm gains amplify rounding), under 1e-5 elsewhere.
    const double Rtol = 1e-5, Atol = 1e-5;

    public static TheoryData<string, string> Cases => new()
    {
        { "list", "tiny-llama" }, { "regex", "tiny-qwen2" }, { "all-linear", "tiny-gemma2" },
        { "modules-to-save", "tiny-llama" }, { "rslora", "tiny-llama" }, { "dora", "tiny-qwen2" },
    };

    static string Adapter(string name) => RepoPaths.Fixtures("Pharos.Training.Tests", "peft", name);
    static string BaseModel(string name) => RepoPaths.Fixtures("Pharos.Models.Tests", name);
    static SafetensorsFile Expected(string name) => SafetensorsFile.Open(RepoPaths.Fixtures("Pharos.Training.Tests", "peft", name + ".expected.safetensors"));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Logits_equal_peft(string name, string baseModel)
    {
        using var expected = Expected(name);
        using var model = ModelLoader.Load(BaseModel(baseModel));
        PeftFormat.Load(model, Adapter(name));
        model.eval();
        using var ids = expected.Load("input_ids");
        using var noGrad = no_grad();
        using var logits = model.Forward(ids);
        using var want = expected.Load("logits");
        AssertClose(want, logits, $"{name}: logits", LogitAtol(expected));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Training_gradients_equal_peft(string name, string baseModel)
    {
        using var expected = Expected(name);
        using var model = ModelLoader.Load(BaseModel(baseModel));
        var options = PeftFormat.Load(model, Adapter(name));
        // PEFT trains modules_to_save; Pharos loads them for inference, so make them trainable here to compare their gradient.
        foreach (var (n, p) in model.named_parameters().Where(p => options.IsSavedWhole(p.name[..p.name.LastIndexOf('.')]))) p.requires_grad = true;
        model.train();
        using var ids = expected.Load("input_ids");
        var logits = model.Forward(ids);
        long t = ids.shape[1], v = logits.shape[2];
        var loss = nn.functional.cross_entropy(logits.narrow(1, 0, t - 1).reshape(-1, v), ids.narrow(1, 1, t - 1).reshape(-1));
        loss.backward();
        using var wantLoss = expected.Load("loss");
        AssertClose(wantLoss, loss.reshape(1), $"{name}: loss");
        var grads = expected.Tensors.Select(i => i.Name).Where(k => k.StartsWith("grad.", StringComparison.Ordinal)).ToList();
        var parameters = model.named_parameters().Where(p => p.parameter.requires_grad)
            .ToDictionary(p => SavedKey(p.name), p => p.parameter, StringComparer.Ordinal);
        Assert.Equal(grads.Select(g => g["grad.".Length..]).Order(StringComparer.Ordinal), parameters.Keys.Order(StringComparer.Ordinal));
        foreach (var key in grads)
        {
            using var want = expected.Load(key);
            // Gradients as the other reference tests take them: atol 1e-4 × the tensor's largest value (kernel-order noise).
            AllClose.EqualAtScale(want, parameters[key["grad.".Length..]].grad!, 1e-4, 1e-4, $"{name}: {key}");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Merge_equals_peft_merge_and_unload(string name, string baseModel)
    {
        using var expected = Expected(name);
        using var model = ModelLoader.Load(BaseModel(baseModel));
        using var original = ModelLoader.Load(BaseModel(baseModel));
        PeftFormat.Merge(model, Adapter(name));
        var before = original.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var changed = expected.Tensors.Select(i => i.Name).Where(k => k.StartsWith("merged.", StringComparison.Ordinal))
            .Select(k => k["merged.".Length..]).ToHashSet();
        Assert.NotEmpty(changed);
        foreach (var (param, value) in model.named_parameters())
        {
            if (changed.Contains(param))
            {
                using var want = expected.Load("merged." + param);
                AssertClose(want, value, $"{name}: merged {param}");
            }
            else Assert.True(value.eq(before[param]).all().item<bool>(), $"{name}: {param} should be untouched by the merge");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Saved_adapter_is_byte_and_key_compatible_with_peft(string name, string baseModel)
    {
        using var dir = new TempDir();
        using var model = ModelLoader.Load(BaseModel(baseModel));
        var options = PeftFormat.Load(model, Adapter(name));
        PeftFormat.Save(model, dir.File("adapter"), options, BaseModel(baseModel));
        // The same tensors under the same keys, dtypes and metadata: Pharos's file is PEFT's, byte for byte.
        Assert.Equal(File.ReadAllBytes(Path.Combine(Adapter(name), PeftFormat.WeightsFile)), File.ReadAllBytes(dir.File("adapter/" + PeftFormat.WeightsFile)));
        var peft = (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(Adapter(name), PeftFormat.ConfigFile)))!;
        var ours = (JsonObject)JsonNode.Parse(File.ReadAllText(dir.File("adapter/" + PeftFormat.ConfigFile)))!;
        foreach (var (key, value) in ours)
        {
            Assert.True(peft.ContainsKey(key), $"{name}: Pharos writes {key}, which PEFT's LoraConfig does not have");
            // Where the model came from and the task are facts of the save, not of the adapter.
            if (key is "base_model_name_or_path" or "task_type") continue;
            Assert.True(SameValue(peft[key], value), $"{name}: {key}: PEFT {peft[key]?.ToJsonString()}, Pharos {value?.ToJsonString()}");
        }
    }

    [Fact]
    public void All_linear_keyword_in_the_config_loads_as_peft_expands_it()
    {
        // The config says "all-linear" literally (PEFT saves the expanded list; hand-written configs keep the keyword).
        Assert.Equal("all-linear", (string?)JsonNode.Parse(File.ReadAllText(Path.Combine(Adapter("all-linear-literal"), PeftFormat.ConfigFile)))!["target_modules"]);
        using var expected = Expected("all-linear");
        using var model = ModelLoader.Load(BaseModel("tiny-gemma2"));
        var options = PeftFormat.Load(model, Adapter("all-linear-literal"));
        Assert.True(options.TargetModules.IsAllLinear);
        Assert.Equal(21, Lora.Find(model).Count());
        model.eval();
        using var ids = expected.Load("input_ids");
        using var noGrad = no_grad();
        using var logits = model.Forward(ids);
        using var want = expected.Load("logits");
        AssertClose(want, logits, "all-linear-literal: logits", LogitAtol(expected));
    }

    [Fact]
    public void Dora_starts_as_the_base_model_and_trains_its_magnitude()
    {
        using var model = ModelLoader.Load(BaseModel("tiny-qwen2"));
        using var ids = tensor(new long[] { 1, 5, 9, 3, 7 }).unsqueeze(0);
        using var before = model.Forward(ids);
        Lora.Apply(model, new LoraOptions { Rank = 4, Alpha = 8, Dropout = 0, UseDora = true }, seed: 1);
        using var after = model.Forward(ids);
        AssertClose(before, after, "fresh DoRA");
        var trainable = model.named_parameters().Where(p => p.parameter.requires_grad).Select(p => p.name).ToList();
        Assert.Contains("model.layers.0.self_attn.q_proj.lora_magnitude_vector.weight", trainable);
        Assert.All(trainable, n => Assert.Matches(@"\.(lora_[AB]|lora_magnitude_vector)\.weight$", n));
    }

    [Theory]
    [InlineData("lora_bias", "true")]
    [InlineData("layers_to_transform", "[0]")]
    [InlineData("rank_pattern", "{\"q_proj\": 8}")]
    [InlineData("exclude_modules", "[\"k_proj\"]")]
    [InlineData("trainable_token_indices", "[5]")]
    public void Fields_pharos_does_not_compute_are_refused_by_name(string field, string value)
    {
        using var dir = new TempDir();
        var folder = Copy(Adapter("list"), dir.File("adapter"));
        var config = (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(folder, PeftFormat.ConfigFile)))!;
        config[field] = JsonNode.Parse(value);
        File.WriteAllText(Path.Combine(folder, PeftFormat.ConfigFile), config.ToJsonString());
        using var model = ModelLoader.Load(BaseModel("tiny-llama"));
        var error = Assert.Throws<PharosException>(() => PeftFormat.Load(model, folder));
        Assert.Contains(field, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Tensors_pharos_does_not_understand_are_refused_by_key()
    {
        using var dir = new TempDir();
        var folder = Copy(Adapter("list"), dir.File("adapter"));
        var path = Path.Combine(folder, PeftFormat.WeightsFile);
        var tensors = new List<KeyValuePair<string, Tensor>>();
        using (var file = SafetensorsFile.Open(path))
            foreach (var info in file.Tensors) tensors.Add(new(info.Name, file.Load(info.Name)));
        tensors.Add(new("base_model.model.model.embed_tokens.lora_embedding_A", zeros(4, 300)));
        SafetensorsWriter.Write(path, tensors);
        using var model = ModelLoader.Load(BaseModel("tiny-llama"));
        Assert.Contains("lora_embedding_A", Assert.Throws<PharosException>(() => PeftFormat.Load(model, folder)).Message);
        // DoRA magnitudes in an adapter whose config does not say use_dora are refused too, not ignored.
        tensors[^1] = new("base_model.model.model.layers.0.self_attn.q_proj.lora_magnitude_vector", ones(64));
        SafetensorsWriter.Write(path, tensors);
        Assert.Contains("use_dora", Assert.Throws<PharosException>(() => PeftFormat.Load(model, folder)).Message);
    }

    [Fact]
    public void Modules_to_save_on_a_tied_model_is_refused_naming_the_field()
    {
        using var dir = new TempDir();
        var folder = Copy(Adapter("modules-to-save"), dir.File("adapter"));
        using var tied = ModelLoader.Load(BaseModel("tiny-qwen2"));
        Assert.Contains("modules_to_save", Assert.Throws<PharosException>(() => PeftFormat.Merge(tied, folder)).Message);
    }

    /// <summary>PEFT's saved key for a Pharos parameter name (DoRA's magnitude drops the module's ".weight").</summary>
    static string SavedKey(string parameter) => parameter.Replace(".lora_magnitude_vector.weight", ".lora_magnitude_vector", StringComparison.Ordinal);

    static bool SameValue(JsonNode? a, JsonNode? b)
    {
        // PEFT writes target_modules from a set, so the list order is not meaningful.
        if (a is JsonArray x && b is JsonArray y)
            return x.Select(n => n?.ToJsonString()).Order().SequenceEqual(y.Select(n => n?.ToJsonString()).Order());
        if (a is JsonValue va && b is JsonValue vb && va.GetValueKind() == System.Text.Json.JsonValueKind.Number && vb.GetValueKind() == System.Text.Json.JsonValueKind.Number)
            return (double)va == (double)vb;
        return JsonNode.DeepEquals(a, b);
    }

    static string Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var f in Directory.GetFiles(from)) File.Copy(f, Path.Combine(to, Path.GetFileName(f)));
        return to;
    }

    static double LogitAtol(SafetensorsFile expected)
    {
        using var noise = expected.Load("float32_noise");
        return Math.Max(Atol, 2 * noise.item<float>());
    }

    static void AssertClose(Tensor expected, Tensor actual, string what, double atol = Atol) =>
        AllClose.Equal(expected, actual, Rtol, atol, what);
}
