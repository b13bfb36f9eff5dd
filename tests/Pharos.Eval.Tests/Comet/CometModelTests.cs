// COMET scores against COMET's own code (Unbabel/COMET da61b810, torch 2.14, transformers 5.12) on tiny random
// checkpoints of every supported class, loaded from the published layout (Lightning .ckpt) and a safetensors export.
using Pharos.Eval.Comet;
using Pharos.Models.Errors;
using Pharos.Tests;

namespace Pharos.Eval.Tests.Comet;

public class CometModelTests
{
    public static TheoryData<string, bool> Models => new()
    {
        { "regression", true }, { "regression-softmax", true }, { "referenceless", false }, { "kiwi", false }, { "unified-ref", false },
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void Lightning_checkpoint_scores_equal_comet(string name, bool withReference)
    {
        using var model = CometModel.Load(CometFixtures.Model(name), CometFixtures.Encoder);
        var segments = CometFixtures.Segments(withReference);
        var prediction = model.Score(segments, batchSize: 4);
        CometFixtures.AllClose(CometFixtures.Expected(name), prediction.Scores);
        Assert.Equal(CometFixtures.ExpectedScalar(name, "system_score"), prediction.SystemScore, 5);
        Assert.True(prediction.Scores.Max() - prediction.Scores.Min() > 0.03, "scores should differ between segments");
    }

    [Theory]
    [InlineData("regression")]
    [InlineData("kiwi")]
    public void Safetensors_export_scores_equal_comet(string name)
    {
        using var model = CometModel.Load(Path.Combine(CometFixtures.Model(name), "safetensors"), CometFixtures.Encoder);
        Assert.EndsWith("model.safetensors", model.Files.Weights);
        var prediction = model.Score(CometFixtures.Segments(withReference: name == "regression"), batchSize: 7);
        CometFixtures.AllClose(CometFixtures.Expected(name), prediction.Scores);
    }

    [Fact]
    public void Unified_model_with_references_averages_its_three_inputs_like_comet()
    {
        using var model = CometModel.Load(CometFixtures.Model("unified-ref"), CometFixtures.Encoder);
        Assert.True(model.UsesReference);
        Assert.False(model.RequiresReference);
        var prediction = model.Score(CometFixtures.Segments(withReference: true), batchSize: 3);
        CometFixtures.AllClose(CometFixtures.Expected("unified-ref", "scores_with_ref"), prediction.Scores);
    }

    [Fact]
    public void Batch_size_and_order_do_not_change_scores()
    {
        using var model = CometModel.Load(CometFixtures.Model("regression"), CometFixtures.Encoder);
        var segments = CometFixtures.Segments();
        var one = model.Score(segments, batchSize: 1).Scores;
        CometFixtures.AllClose(CometFixtures.Expected("regression", "batch1_scores"), one);
        var reversed = model.Score(segments.Reverse().ToList(), batchSize: 16).Scores.Reverse().ToList();
        CometFixtures.AllClose(one, reversed);
    }

    [Fact]
    public void Sparsemax_model_uses_sparse_layer_weights_and_kiwi_needs_no_reference()
    {
        using var kiwi = CometModel.Load(CometFixtures.Model("kiwi"), CometFixtures.Encoder);
        var weights = kiwi.LayerWeights();
        Assert.Equal(4, weights.Length);
        Assert.Equal(1.0, weights.Sum(), 6);
        Assert.False(kiwi.RequiresReference);
        Assert.Equal(3, kiwi.EncoderConfig.NumLayers);

        using var regression = CometModel.Load(CometFixtures.Model("regression"), CometFixtures.Encoder);
        Assert.True(regression.RequiresReference);
        var e = Assert.Throws<ArgumentException>(() => regression.Score([new CometSegment("a", "b")]));
        Assert.Contains("needs a reference", e.Message);
    }

    [Fact]
    public void Encoder_is_found_in_the_hugging_face_cache_by_its_pretrained_model_name()
    {
        using var cache = new TempDir();
        var snapshot = Path.Combine(cache.Path, "models--pharos-fixtures--tiny-xlm-roberta", "snapshots", "abc123");
        Directory.CreateDirectory(snapshot);
        foreach (var f in Directory.GetFiles(CometFixtures.Encoder))
            File.Copy(f, Path.Combine(snapshot, Path.GetFileName(f)));
        Directory.CreateDirectory(Path.Combine(cache.Path, "models--pharos-fixtures--tiny-xlm-roberta", "refs"));
        File.WriteAllText(Path.Combine(cache.Path, "models--pharos-fixtures--tiny-xlm-roberta", "refs", "main"), "abc123");
        var files = CometModelFiles.Resolve(CometFixtures.Model("kiwi"), "pharos-fixtures/tiny-xlm-roberta", encoderFolder: null, hubCaches: [cache.Path]);
        Assert.Equal(snapshot, files.EncoderFolder);
        Assert.NotNull(files.EncoderConfig);

        var missing = Assert.Throws<InvalidModelException>(() =>
            CometModelFiles.Resolve(CometFixtures.Model("kiwi"), "pharos-fixtures/other", encoderFolder: null, hubCaches: [cache.Path]));
        Assert.Contains("--comet-encoder", missing.Message);
    }

    [Fact]
    public void Encoder_config_is_inferred_from_the_checkpoint_when_config_json_is_absent()
    {
        using var encoder = new TempDir();
        File.Copy(Path.Combine(CometFixtures.Encoder, "tokenizer.json"), Path.Combine(encoder.Path, "tokenizer.json"));
        using var model = CometModel.Load(CometFixtures.Model("regression"), encoder.Path);
        Assert.Equal(3, model.EncoderConfig.NumLayers);
        Assert.Equal(1, model.EncoderConfig.NumHeads);
        // 32-wide hidden states infer one 32-dimensional head instead of the fixture's four heads of 8, so the scores
        // differ; the sizes that the checkpoint fixes are right.
        Assert.Equal(32, model.EncoderConfig.HiddenSize);
        Assert.Equal(66, model.EncoderConfig.MaxPositionEmbeddings);
        Assert.Equal(24, model.Score(CometFixtures.Segments()).Scores.Count);
    }

    [Theory]
    [InlineData("xcomet_metric", "XLM-RoBERTa-XL", "XLM-RoBERTa-XL")]
    [InlineData("xcomet_metric", "XLM-RoBERTa", "XCOMET")]
    [InlineData("ranking_metric", "XLM-RoBERTa", "ranking_metric")]
    public void Unsupported_classes_are_refused_with_the_reason(string identifier, string encoder, string expected)
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(Path.Combine(dir.Path, "checkpoints"));
        File.Copy(Path.Combine(CometFixtures.Model("kiwi"), "checkpoints", "model.ckpt"), Path.Combine(dir.Path, "checkpoints", "model.ckpt"));
        File.WriteAllText(Path.Combine(dir.Path, "hparams.yaml"),
            $"class_identifier: {identifier}\nencoder_model: {encoder}\npretrained_model: facebook/xlm-roberta-xl\nlayer: mix\n");
        var e = Assert.Throws<InvalidModelException>(() => CometModel.Load(dir.Path, CometFixtures.Encoder));
        Assert.Contains(expected, e.Message);
        Assert.Contains("hparams.yaml", e.Message);
    }

    [Fact]
    public void Checkpoint_of_another_shape_is_refused_naming_the_tensors()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(Path.Combine(dir.Path, "checkpoints"));
        File.Copy(Path.Combine(CometFixtures.Model("kiwi"), "checkpoints", "model.ckpt"), Path.Combine(dir.Path, "checkpoints", "model.ckpt"));
        // The kiwi head reads one 32-wide vector; a regression head reads six of them.
        File.WriteAllText(Path.Combine(dir.Path, "hparams.yaml"), File.ReadAllText(Path.Combine(CometFixtures.Model("regression"), "hparams.yaml")));
        var e = Assert.Throws<InvalidModelException>(() => CometModel.Load(dir.Path, CometFixtures.Encoder));
        Assert.Contains("estimator.ff.0.weight", e.Message);
    }
}
