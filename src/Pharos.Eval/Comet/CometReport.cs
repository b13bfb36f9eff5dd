// What `comet-score` prints (per segment "FILE\tSegment i\tscore: 0.1234", then "FILE\tscore: 0.1234") and its --to_json file.
using System.Globalization;
using System.Text.Json.Nodes;

namespace Pharos.Eval.Comet;

public static class CometReport
{
    /// <summary>The lines COMET's CLI prints for one or more systems scored on the same sources (and references).</summary>
    public static IEnumerable<string> Lines(IReadOnlyList<(string File, CometPrediction Prediction)> systems, bool onlySystem)
    {
        if (!onlySystem && systems.Count > 0)
            // COMET loops over segments first, then systems.
            for (int i = 0; i < systems[0].Prediction.Scores.Count; i++)
                foreach (var (file, prediction) in systems)
                    yield return $"{file}\tSegment {i}\tscore: {Format(prediction.Scores[i])}";
        foreach (var (file, prediction) in systems)
            yield return $"{file}\tscore: {Format(prediction.SystemScore)}";
    }

    /// <summary>COMET's --to_json layout: per system file, one object per segment with src, mt, (ref) and "COMET".</summary>
    public static JsonObject Json(IReadOnlyList<(string File, IReadOnlyList<CometSegment> Segments, CometPrediction Prediction)> systems)
    {
        var root = new JsonObject();
        foreach (var (file, segments, prediction) in systems)
        {
            var items = new JsonArray();
            for (int i = 0; i < segments.Count; i++)
            {
                var item = new JsonObject { ["src"] = segments[i].Source, ["mt"] = segments[i].Translation };
                if (segments[i].Reference is { } r) item["ref"] = r;
                item["COMET"] = prediction.Scores[i];
                items.Add(item);
            }
            root[file] = items;
        }
        return root;
    }

    static string Format(double score) => score.ToString("F4", CultureInfo.InvariantCulture);
}
