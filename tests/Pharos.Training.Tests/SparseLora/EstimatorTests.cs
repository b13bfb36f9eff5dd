// The SVD estimator: A·B is the best rank-r approximation of Wᵀ; the cache is written next to the model, reused while the
// weights are the same and recomputed when they change.
using Pharos.Models.Loading;
using Pharos.Models.Safetensors;
using Pharos.Tests;
using Pharos.Training.Adapters.SparseLora;
using static TorchSharp.torch;

namespace Pharos.Training.Tests.SparseLora;

public class EstimatorTests
{
    [Fact]
    public void Factors_are_the_truncated_svd()
    {
        using var w = randn(48, 32, generator: new Generator(1));
        var full = SvdEstimator.Factor(w, 32);
        Assert.True((full.A.matmul(full.B) - w.t()).abs().max().item<float>() < 1e-4);
        var low = SvdEstimator.Factor(w, 8);
        Assert.Equal([32L, 8], low.A.shape);
        Assert.Equal([8L, 48], low.B.shape);
        // Eckart–Young: the rank-8 error equals the norm of the discarded singular values.
        var s = linalg.svdvals(w);
        double expected = s.narrow(0, 8, s.shape[0] - 8).pow(2).sum().sqrt().item<float>();
        Assert.Equal(expected, (low.A.matmul(low.B) - w.t()).norm().item<float>(), 3);
    }

    [Fact]
    public void Randomized_factors_of_large_weights_match_the_exact_svd()
    {
        // A weight with a decaying spectrum, as trained weights have: U·diag(σ)·Vᵀ with σ_i = 1/(1+i).
        var g = new Generator(2);
        var u = linalg.qr(randn(600, 300, generator: g)).Q;
        var v = linalg.qr(randn(400, 300, generator: g)).Q;
        var sigma = 1.0 / (arange(300, dtype: float32) + 1);
        using var w = (u * sigma.unsqueeze(0)).matmul(v.t());
        var f = SvdEstimator.Factor(w, 8);
        var s = linalg.svdvals(w);
        double optimal = s.narrow(0, 8, s.shape[0] - 8).pow(2).sum().sqrt().item<float>();
        double error = (f.A.matmul(f.B) - w.t()).norm().item<float>();
        Assert.InRange(error, optimal * 0.999, optimal * 1.01);
    }

    [Fact]
    public void Cache_is_reused_and_recomputed_when_weights_change()
    {
        using var dir = new TempDir();
        var folder = dir.File("model");
        Directory.CreateDirectory(folder);
        foreach (var f in Directory.GetFiles(SparseLoraHarness.Fixture("llama"))) File.Copy(f, Path.Combine(folder, Path.GetFileName(f)));
        var messages = new List<string>();
        using var model = ModelLoader.Load(folder);
        var first = EstimatorCache.LoadOrCompute(model, folder, 8, message: messages.Add);
        Assert.Contains("written", messages[^1]);
        var path = Path.Combine(folder, EstimatorCache.FileName);
        using (var file = SafetensorsFile.Open(path))
            Assert.Contains(file.Tensors, t => t.Name == "model.layers.0.mlp.gate_proj.A");

        var again = EstimatorCache.LoadOrCompute(model, folder, 8, message: messages.Add);
        Assert.Contains("loaded", messages[^1]);
        var key = "model.layers.1.self_attn.k_proj";
        Assert.Equal(0, (first[key].A - again[key].A).abs().max().item<float>());

        using (no_grad()) model.model.layers[1].self_attn.k_proj.weight.mul_(2);
        var changed = EstimatorCache.LoadOrCompute(model, folder, 8, message: messages.Add);
        Assert.Contains("recomputing", messages[^2]);
        Assert.True((changed[key].A - first[key].A).abs().max().item<float>() > 1e-3);
        // Another rank is another estimator.
        EstimatorCache.LoadOrCompute(model, folder, 4, message: messages.Add);
        Assert.Contains("recomputing", messages[^2]);
    }
}
