// COMET as a reward (Tower+'s reward-model role): `comet` scores the completion against the record's source and
// reference, `cometkiwi` against the source only; a GRPO group shares its source and reference, which are encoded once.
using Pharos.Eval.Comet;
using Pharos.Models;
using Pharos.Models.Errors;

namespace Pharos.Training.Rewards;

public sealed class CometReward : IBatchRewardFunction
{
    readonly Lazy<CometModel> _model;
    readonly string _sourceColumn;
    readonly string? _referenceColumn;

    /// <param name="name">comet (source + reference) or cometkiwi (source only)</param>
    /// <param name="modelFolder">a COMET model folder (hparams.yaml + checkpoints/model.ckpt, or a safetensors export)</param>
    /// <param name="column">the reference column for comet, the source column for cometkiwi ("" = reference / source)</param>
    public CometReward(string name, string modelFolder, string column = "", string? encoderFolder = null, string device = "cpu")
    {
        if (modelFolder.Length == 0)
            throw new PharosException($"reward '{name}' needs a COMET model folder (model: DIR in the recipe's reward, --comet-model for prefs build)");
        if (!Directory.Exists(modelFolder) && !File.Exists(modelFolder))
            throw new PharosException($"reward '{name}': COMET model folder '{modelFolder}' does not exist");
        Name = name;
        bool withReference = name == "comet";
        _sourceColumn = withReference || column.Length == 0 ? "source" : column;
        _referenceColumn = withReference ? (column.Length == 0 ? "reference" : column) : null;
        _model = new Lazy<CometModel>(() =>
        {
            var model = CometModel.Load(modelFolder, encoderFolder, DTypes.ParseDevice(device));
            if (model.RequiresReference && !withReference)
                throw new PharosException($"reward 'cometkiwi': {modelFolder} is a reference-based COMET model; use reward 'comet' or a CometKiwi model");
            return model;
        });
    }

    public string Name { get; }

    public double? Score(RewardInput input) => ScoreBatch([input])[0];

    public IReadOnlyList<double?> ScoreBatch(IReadOnlyList<RewardInput> inputs)
    {
        var result = new double?[inputs.Count];
        var segments = new List<CometSegment>();
        var rows = new List<int>();
        for (int i = 0; i < inputs.Count; i++)
        {
            var source = inputs[i].Column(_sourceColumn);
            var reference = _referenceColumn is null ? null : inputs[i].Column(_referenceColumn);
            if (source is null || (_referenceColumn is not null && reference is null)) continue;
            segments.Add(new CometSegment(source, inputs[i].Completion.Trim(), reference));
            rows.Add(i);
        }
        if (segments.Count == 0) return result;
        var scores = _model.Value.Score(segments).Scores;
        for (int k = 0; k < rows.Count; k++) result[rows[k]] = scores[k];
        return result;
    }
}
