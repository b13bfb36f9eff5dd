// A COMET metric loaded from Unbabel's folder layout: the regression (COMET-22 style), referenceless regression
// (COMET-QE) and unified (CometKiwi) classes on an XLM-R encoder. Scores segments in length-sorted batches.
using Pharos.Eval.Comet.XlmRoberta;
using Pharos.Models.Errors;
using Pharos.Models.Loading;
using static TorchSharp.torch;

namespace Pharos.Eval.Comet;

public sealed class CometModel : IDisposable
{
    readonly CometNetwork _network;
    readonly CometInputs _inputs;

    CometModel(CometModelFiles files, CometHparams hparams, XlmRobertaTokenizer tokenizer, CometNetwork network, Device device)
    {
        Files = files;
        Hparams = hparams;
        Tokenizer = tokenizer;
        _network = network;
        Device = device;
        _inputs = new CometInputs(tokenizer, network.Encoder.Config.MaxPositions, device);
    }

    public CometModelFiles Files { get; }
    public CometHparams Hparams { get; }
    public XlmRobertaTokenizer Tokenizer { get; }
    public Device Device { get; }
    public XlmRobertaConfig EncoderConfig => _network.Encoder.Config;

    /// <summary>Whether segments must carry a reference (COMET's requires_references()).</summary>
    public bool RequiresReference => Hparams.ClassIdentifier switch
    {
        CometHparams.RegressionMetric => true,
        CometHparams.UnifiedMetric => Hparams.InputSegments.SequenceEqual(["mt", "ref"]),
        _ => false,
    };

    /// <summary>Whether a reference, when given, is used (the unified metric's input_segments may leave it out).</summary>
    public bool UsesReference => Hparams.ClassIdentifier switch
    {
        CometHparams.RegressionMetric => true,
        CometHparams.UnifiedMetric => Hparams.InputSegments.Contains("ref"),
        _ => false,
    };

    /// <summary>The normalised layer-mix weights (empty when a single layer is used).</summary>
    public double[] LayerWeights() => _network.layerwise_attention?.Weights() ?? [];

    public static CometModel Load(string path, string? encoderFolder = null, Device? device = null, ScalarType dtype = ScalarType.Float32)
    {
        device ??= CPU;
        var hparamsPath = CometModelFiles.HparamsOf(path);
        if (!File.Exists(hparamsPath))
            throw new InvalidModelException($"{hparamsPath}: not found (a COMET model folder has hparams.yaml beside checkpoints/)");
        var hparams = CometHparams.Read(hparamsPath);
        int features = FeatureCount(hparams, hparamsPath);
        var files = CometModelFiles.Resolve(path, hparams.PretrainedModel, encoderFolder);
        var tokenizer = XlmRobertaTokenizer.Load(files.EncoderFolder);

        using var weights = CometWeights.Open(files.Weights);
        var config = files.EncoderConfig is { } configPath
            ? XlmRobertaConfig.Read(configPath)
            : XlmRobertaConfig.Infer(weights.Shapes, "encoder.model.", weights.Source);
        var network = new CometNetwork(hparams, config, features, dtype, device);
        try
        {
            var report = Check(network, weights);
            if (!report.IsComplete)
                throw new InvalidModelException($"{weights.Source}: checkpoint does not fit a {hparams.ClassIdentifier} on {config.NumLayers} layers × {config.HiddenSize}: {report.Describe()}");
            using (no_grad())
                foreach (var (name, p) in network.named_parameters())
                {
                    using var source = weights.Load(name, p.dtype, p.device);
                    p.copy_(source);
                }
            network.eval();
            return new CometModel(files, hparams, tokenizer, network, device);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    static int FeatureCount(CometHparams h, string path)
    {
        if (h.EncoderModel != "XLM-RoBERTa")
            throw new InvalidModelException(h.EncoderModel == "XLM-RoBERTa-XL"
                ? $"{path}: encoder XLM-RoBERTa-XL (XCOMET, CometKiwi-XL/XXL) is not supported: Pharos implements COMET on the XLM-R base/large encoder (COMET-22, CometKiwi-22, COMET-QE)"
                : $"{path}: encoder_model '{h.EncoderModel}' is not supported (Pharos's COMET runs XLM-RoBERTa)");
        return h.ClassIdentifier switch
        {
            CometHparams.RegressionMetric => 6,
            CometHparams.ReferencelessRegressionMetric => 4,
            CometHparams.UnifiedMetric => 1,
            "xcomet_metric" => throw new InvalidModelException($"{path}: XCOMET (xcomet_metric: XLM-R XL with error-span tagging) is not supported; use COMET-22 or CometKiwi-22"),
            "ranking_metric" => throw new InvalidModelException($"{path}: ranking_metric models embed for ranking and give no scores; not supported"),
            _ => throw new InvalidModelException($"{path}: class_identifier '{h.ClassIdentifier}' is not a COMET model class Pharos knows"),
        };
    }

    /// <summary>Names and shapes against the checkpoint; buffers COMET saves that are not parameters are ignored.</summary>
    static WeightReport Check(CometNetwork network, CometWeights weights)
    {
        var missing = new List<string>();
        var mismatched = new List<ShapeMismatch>();
        var expected = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, p) in network.named_parameters())
        {
            expected.Add(name);
            if (!weights.Shapes.TryGetValue(name, out var shape)) { missing.Add(name); continue; }
            if (!shape.SequenceEqual(p.shape)) mismatched.Add(new ShapeMismatch(name, p.shape, shape));
        }
        var unexpected = weights.Shapes.Keys.Where(n => !expected.Contains(n) && !IsIgnorable(n)).Order(StringComparer.Ordinal).ToList();
        if (unexpected.Count > 0)
            missing.AddRange(unexpected.Select(n => $"(unexpected) {n}"));
        return new WeightReport(missing, [], mismatched, expected.Count - missing.Count - mismatched.Count);
    }

    /// <summary>Layer-dropout buffers, transformers 4's position/token-type id buffers, an unused pooler, the word-level tagging head.</summary>
    static bool IsIgnorable(string name) =>
        name is "layerwise_attention.dropout_mask" or "layerwise_attention.dropout_fill"
            or "encoder.model.embeddings.position_ids" or "encoder.model.embeddings.token_type_ids"
        || name.StartsWith("encoder.model.pooler.", StringComparison.Ordinal)
        || name.StartsWith("hidden2tag.", StringComparison.Ordinal);

    /// <summary>Scores every segment; identical inputs are encoded once, and batches hold inputs of similar length.</summary>
    public CometPrediction Score(IReadOnlyList<CometSegment> segments, int batchSize = 16, Action<double>? onProgress = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        if (RequiresReference)
            for (int i = 0; i < segments.Count; i++)
                if (segments[i].Reference is null)
                    throw new ArgumentException($"segment {i + 1}: this COMET model ({Hparams.ClassIdentifier}) needs a reference");
        if (segments.Count == 0) return CometPrediction.From([]);
        using var noGrad = no_grad();
        var scores = Hparams.ClassIdentifier == CometHparams.UnifiedMetric
            ? ScoreUnified(segments, batchSize, onProgress)
            : ScoreRegression(segments, batchSize, onProgress);
        return CometPrediction.From(scores);
    }

    double[] ScoreRegression(IReadOnlyList<CometSegment> segments, int batchSize, Action<double>? onProgress)
    {
        bool withReference = Hparams.ClassIdentifier == CometHparams.RegressionMetric;
        var texts = new List<string>();
        foreach (var s in segments)
        {
            texts.Add(s.Source);
            texts.Add(s.Translation);
            if (withReference) texts.Add(s.Reference!);
        }
        using var embeddings = _inputs.EncodeUnique(texts, batchSize, _network.SentenceEmbedding, onProgress);
        using var scope = NewDisposeScope();
        int stride = withReference ? 3 : 2;
        var rows = embeddings.Rows;
        var src = rows.index_select(0, Index(segments.Count, stride, 0, embeddings));
        var mt = rows.index_select(0, Index(segments.Count, stride, 1, embeddings));
        Tensor features;
        if (withReference)
        {
            var reference = rows.index_select(0, Index(segments.Count, stride, 2, embeddings));
            features = cat([mt, reference, mt * reference, (mt - reference).abs(), mt * src, (mt - src).abs()], 1);
        }
        else
        {
            features = cat([mt, src, mt * src, (mt - src).abs()], 1);
        }
        return _network.estimator.forward(features).view(-1).to(float64).cpu().data<double>().ToArray();
    }

    static Tensor Index(int count, int stride, int offset, UniqueEmbeddings embeddings)
    {
        var rows = new long[count];
        for (int i = 0; i < count; i++) rows[i] = embeddings.RowOf[i * stride + offset];
        return tensor(rows, device: embeddings.Rows.device);
    }

    double[] ScoreUnified(IReadOnlyList<CometSegment> segments, int batchSize, Action<double>? onProgress)
    {
        bool useSource = Hparams.InputSegments.Contains("src");
        var scores = new double[segments.Count];
        var combos = new List<string?[]>[segments.Count];
        for (int i = 0; i < segments.Count; i++)
        {
            var s = segments[i];
            var reference = UsesReference ? s.Reference : null;
            var source = useSource ? s.Source : null;
            combos[i] = source is not null && reference is not null
                ? [[s.Translation, source], [s.Translation, reference], [s.Translation, source, reference]]
                : [[s.Translation, source ?? reference]];
        }
        var flat = combos.SelectMany(c => c).Select(parts => _inputs.Joint(parts.Where(p => p is not null).Cast<string>().ToArray())).ToList();
        var rowScores = _inputs.ScoreUnique(flat, batchSize, _network.JointScore, onProgress);
        int k = 0;
        for (int i = 0; i < segments.Count; i++)
        {
            // COMET averages the three passes in float32 (torch.stack(...).mean(0)).
            float sum = 0;
            int n = combos[i].Count;
            if (n == 1) { scores[i] = rowScores[k++]; continue; }
            var parts = new float[n];
            for (int j = 0; j < n; j++) parts[j] = (float)rowScores[k++];
            foreach (var p in parts) sum += p;
            scores[i] = sum / n;
        }
        return scores;
    }

    public void Dispose() => _network.Dispose();
}
