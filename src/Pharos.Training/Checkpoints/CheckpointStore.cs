// Checkpoint folders under a run: checkpoint-N written as checkpoint-N.tmp then renamed (a kill leaves no half checkpoint),
using Pharos.IO;
// holding trainable weights, AdamW moments, the dropout RNG state and trainer_state.json; only the last K are kept.
using System.Globalization;
using Pharos.Models.Errors;
using Pharos.Models.Loading;
using Pharos.Models.Safetensors;
using Pharos.Models.Transformer;
using Pharos.Training.Optimizers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pharos.Training.Checkpoints;

public sealed class CheckpointStore
{
    public const string WeightsFile = "trainable.safetensors";
    public const string OptimizerFile = "optimizer.safetensors";
    const string Prefix = "checkpoint-";
    const string ExpAvgSuffix = ".exp_avg", ExpAvgSqSuffix = ".exp_avg_sq", RngKey = "rng.dropout";

    /// <param name="writes">false on every rank but 0 of a multi-process run: those ranks take part in gathering sharded
    /// state but write nothing</param>
    public CheckpointStore(string folder, int keepLast = 2, bool writes = true)
    {
        Folder = folder;
        KeepLast = Math.Max(1, keepLast);
        Writes = writes;
    }

    public string Folder { get; }
    public int KeepLast { get; }
    public bool Writes { get; }

    public string Save(IOptimizer optimizer, Generator? rng, TrainerState state)
    {
        var final = Path.Combine(Folder, Prefix + state.Step.ToString(CultureInfo.InvariantCulture));
        using var scope = NewDisposeScope();
        // Full tensors whatever the optimizer's layout (sharded state is gathered here), so any world size can resume.
        // Half-precision parameters are saved as their float32 master copy, so a resumed run continues from the same bits.
        // One tensor at a time: a sharded optimizer gathers each parameter's full state only while it is written, so a
        // rank never holds the whole state (which is what sharding it saves). Ranks that do not write still gather, in the
        // same order. The price: a parameter's state is gathered once per tensor written (weight, then each moment).
        // Each entry: its name, its layout (a meta tensor of its shape), and how to make it.
        var make = new Dictionary<string, Func<Tensor>>(StringComparer.Ordinal);
        List<KeyValuePair<string, Tensor>> weights = [], moments = [];
        void Plan(List<KeyValuePair<string, Tensor>> file, string name, Parameter p, Func<Tensor> tensor)
        {
            file.Add(new(name, empty(p.shape, float32, device: META)));
            make[name] = tensor;
        }
        for (int i = 0; i < optimizer.Parameters.Count; i++)
        {
            var (name, p) = optimizer.Parameters[i];
            int index = i;
            Plan(weights, name, p, () => optimizer.Export(index).Weight);
            Plan(moments, name + ExpAvgSuffix, p, () => optimizer.Export(index).ExpAvg);
            Plan(moments, name + ExpAvgSqSuffix, p, () => optimizer.Export(index).ExpAvgSq);
        }
        using var rngState = rng?.get_state();
        if (rngState is not null)
        {
            moments.Add(new(RngKey, rngState));
            make[RngKey] = () => rngState;
        }
        Tensor Make(string name) => make[name]();
        if (!Writes)
        {
            SafetensorsWriter.WriteStreamed(null, weights, Make);
            SafetensorsWriter.WriteStreamed(null, moments, Make);
            return final;
        }
        Directory.CreateDirectory(Folder);
        var tmp = final + ".tmp";
        if (Directory.Exists(tmp)) Directory.Delete(tmp, recursive: true);
        Directory.CreateDirectory(tmp);
        SafetensorsWriter.WriteStreamed(Path.Combine(tmp, WeightsFile), weights, Make);
        SafetensorsWriter.WriteStreamed(Path.Combine(tmp, OptimizerFile), moments, Make);
        AtomicFile.WriteAllText(Path.Combine(tmp, TrainerState.FileName), state.ToJson());
        if (Directory.Exists(final)) Directory.Delete(final, recursive: true);
        Directory.Move(tmp, final);
        Prune();
        return final;
    }

    /// <summary>Restores weights, moments and RNG into an already built optimizer; refuses a checkpoint of another model.
    /// Every rank reads the same files (the run folder must be visible to all ranks).</summary>
    public static TrainerState Load(string checkpoint, IOptimizer optimizer, Generator? rng, System.Text.Json.Nodes.JsonObject fingerprint)
    {
        var statePath = Path.Combine(checkpoint, TrainerState.FileName);
        if (!File.Exists(statePath)) throw new PharosException($"{checkpoint}: not a checkpoint (no {TrainerState.FileName})");
        var state = TrainerState.Parse(File.ReadAllText(statePath), statePath);
        if (ModelFingerprint.Difference(state.Model, fingerprint) is string why)
            throw new PharosException($"{checkpoint}: refusing to resume: the checkpoint is for a different model or method ({why})");
        using var weights = SafetensorsFile.Open(Path.Combine(checkpoint, WeightsFile));
        using var moments = SafetensorsFile.Open(Path.Combine(checkpoint, OptimizerFile));
        for (int i = 0; i < optimizer.Parameters.Count; i++)
        {
            var (name, param) = optimizer.Parameters[i];
            if (!weights.Contains(name))
                throw new PharosException($"{checkpoint}: refusing to resume: no weight {name} in the checkpoint (different model or adapter targets)");
            var info = weights.Info(name);
            if (!info.Shape.SequenceEqual(param.shape))
                throw new PharosException($"{checkpoint}: refusing to resume: {name} has shape [{string.Join(", ", info.Shape)}] in the checkpoint, [{string.Join(", ", param.shape)}] here");
            using var w = weights.Load(name, float32, param.device); // saved as float32 (the master copy of half-precision weights)
            using var m = moments.Load(name + ExpAvgSuffix, float32, param.device);
            using var v = moments.Load(name + ExpAvgSqSuffix, float32, param.device);
            optimizer.Import(i, w, m, v);
        }
        if (rng is not null && moments.Contains(RngKey))
            using (var r = moments.Load(RngKey)) rng.set_state(r);
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
