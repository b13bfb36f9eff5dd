// Checkpoint folders under a run: checkpoint-N written as checkpoint-N.tmp then renamed (a kill leaves no half checkpoint),
using Pharos.IO;
// holding trainable weights, AdamW moments, the dropout RNG state and trainer_state.json; only the last K are kept.
using System.Globalization;
using Pharos.Models.Errors;
using Pharos.Models.Loading;
using Pharos.Models.Safetensors;
using Pharos.Models.Transformer;
using Pharos.Training.Optimizers;
using static TorchSharp.torch;

namespace Pharos.Training.Checkpoints;

public sealed class CheckpointStore
{
    public const string WeightsFile = "trainable.safetensors";
    public const string OptimizerFile = "optimizer.safetensors";
    const string Prefix = "checkpoint-";

    public CheckpointStore(string folder, int keepLast = 2)
    {
        Folder = folder;
        KeepLast = Math.Max(1, keepLast);
    }

    public string Folder { get; }
    public int KeepLast { get; }

    public string Save(CausalLM model, AdamW optimizer, Generator? rng, TrainerState state)
    {
        Directory.CreateDirectory(Folder);
        var final = Path.Combine(Folder, Prefix + state.Step.ToString(CultureInfo.InvariantCulture));
        var tmp = final + ".tmp";
        if (Directory.Exists(tmp)) Directory.Delete(tmp, recursive: true);
        Directory.CreateDirectory(tmp);
        // Half-precision parameters are saved as their float32 master copy, so a resumed run continues from the same bits.
        var trainable = optimizer.Slots.Select(s => new KeyValuePair<string, Tensor>(s.Name, s.Master ?? s.Param.detach()));
        SafetensorsWriter.Write(Path.Combine(tmp, WeightsFile), trainable);
        var moments = optimizer.Slots.SelectMany(s => new[]
        {
            new KeyValuePair<string, Tensor>(s.Name + ".exp_avg", s.ExpAvg),
            new KeyValuePair<string, Tensor>(s.Name + ".exp_avg_sq", s.ExpAvgSq),
        }).ToList();
        using var rngState = rng?.get_state();
        if (rngState is not null) moments.Add(new("rng.dropout", rngState));
        SafetensorsWriter.Write(Path.Combine(tmp, OptimizerFile), moments);
        AtomicFile.WriteAllText(Path.Combine(tmp, TrainerState.FileName), state.ToJson());
        if (Directory.Exists(final)) Directory.Delete(final, recursive: true);
        Directory.Move(tmp, final);
        Prune();
        return final;
    }

    /// <summary>Restores weights, moments and RNG into an already built model/optimizer; refuses a checkpoint of another model.</summary>
    public static TrainerState Load(string checkpoint, CausalLM model, AdamW optimizer, Generator? rng, System.Text.Json.Nodes.JsonObject fingerprint)
    {
        var statePath = Path.Combine(checkpoint, TrainerState.FileName);
        if (!File.Exists(statePath)) throw new PharosException($"{checkpoint}: not a checkpoint (no {TrainerState.FileName})");
        var state = TrainerState.Parse(File.ReadAllText(statePath), statePath);
        if (ModelFingerprint.Difference(state.Model, fingerprint) is string why)
            throw new PharosException($"{checkpoint}: refusing to resume: the checkpoint is for a different model or method ({why})");
        using var weights = SafetensorsFile.Open(Path.Combine(checkpoint, WeightsFile));
        using var moments = SafetensorsFile.Open(Path.Combine(checkpoint, OptimizerFile));
        using var noGrad = no_grad();
        foreach (var s in optimizer.Slots)
        {
            if (!weights.Contains(s.Name))
                throw new PharosException($"{checkpoint}: refusing to resume: no weight {s.Name} in the checkpoint (different model or adapter targets)");
            var info = weights.Info(s.Name);
            if (!info.Shape.SequenceEqual(s.Param.shape))
                throw new PharosException($"{checkpoint}: refusing to resume: {s.Name} has shape [{string.Join(", ", info.Shape)}] in the checkpoint, [{string.Join(", ", s.Param.shape)}] here");
            using (var w = weights.Load(s.Name, s.Master?.dtype ?? s.Param.dtype, s.Param.device))
            {
                s.Master?.copy_(w);
                s.Param.copy_(w);
            }
            using (var m = moments.Load(s.Name + ".exp_avg", float32, s.ExpAvg.device)) s.ExpAvg.copy_(m);
            using (var v = moments.Load(s.Name + ".exp_avg_sq", float32, s.ExpAvgSq.device)) s.ExpAvgSq.copy_(v);
        }
        if (rng is not null && moments.Contains("rng.dropout"))
            using (var r = moments.Load("rng.dropout")) rng.set_state(r);
        optimizer.Step = state.OptimizerStep;
        return state;
    }

    /// <summary>The newest complete checkpoint in the folder, or null.</summary>
    public string? Latest() => List().LastOrDefault().Path;

    public List<(int Step, string Path)> List()
    {
        if (!Directory.Exists(Folder)) return [];
        return Directory.GetDirectories(Folder, Prefix + "*")
            .Select(d => (Name: Path.GetFileName(d), Path: d))
            .Where(d => !d.Name.EndsWith(".tmp", StringComparison.Ordinal) && File.Exists(Path.Combine(d.Path, TrainerState.FileName)))
            .Select(d => (Step: int.TryParse(d.Name[Prefix.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1, d.Path))
            .Where(d => d.Step >= 0).OrderBy(d => d.Step).ToList();
    }

    void Prune()
    {
        var all = List();
        foreach (var (_, path) in all.Take(Math.Max(0, all.Count - KeepLast)))
            Directory.Delete(path, recursive: true);
        foreach (var stale in Directory.GetDirectories(Folder, Prefix + "*.tmp"))
            Directory.Delete(stale, recursive: true);
    }
}
