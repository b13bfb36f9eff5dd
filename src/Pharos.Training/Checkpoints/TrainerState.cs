// The small JSON part of a checkpoint: step, data cursor, the model fingerprint and the loss history so far.
using System.Text.Json;
using System.Text.Json.Nodes;
using Pharos.Training.Datasets;

namespace Pharos.Training.Checkpoints;

public sealed record TrainerState(int Step, DataCursor Cursor, long OptimizerStep, long Seed, JsonObject Model, long TokensSeen)
{
    public const string FileName = "trainer_state.json";

    public string ToJson() => new JsonObject
    {
        ["step"] = Step,
        ["data_cursor"] = new JsonObject { ["epoch"] = Cursor.Epoch, ["index"] = Cursor.Index },
        ["optimizer_step"] = OptimizerStep,
        ["seed"] = Seed,
        ["tokens_seen"] = TokensSeen,
        ["model"] = Model.DeepClone(),
    }.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";

    public static TrainerState Parse(string json, string path)
    {
        try
        {
            var o = JsonNode.Parse(json)!.AsObject();
            var cursor = o["data_cursor"]!.AsObject();
            return new TrainerState((int)o["step"]!, new DataCursor((int)cursor["epoch"]!, (int)cursor["index"]!),
                (long)o["optimizer_step"]!, (long)o["seed"]!, o["model"]!.AsObject(), (long?)o["tokens_seen"] ?? 0);
        }
        catch (Exception e) when (e is JsonException or NullReferenceException or InvalidOperationException or FormatException)
        {
            throw new Pharos.Models.Errors.PharosException($"{path}: not a Pharos trainer state ({e.Message})");
        }
    }
}
