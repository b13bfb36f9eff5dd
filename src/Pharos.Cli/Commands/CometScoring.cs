// `pharos score -m comet|cometkiwi`: COMET segment and system scores of hypothesis files, printed as COMET's CLI prints them.
using Pharos.IO;
using System.Text.Json;
using Pharos.Eval.Comet;
using Pharos.Eval.Errors;
using Pharos.Eval.Metrics;
using Pharos.Eval.Metrics.Text;
using Pharos.Models;
using Pharos.Models.Loading;

namespace Pharos.Cli.Commands;

internal static class CometScoring
{
    internal sealed record Request(string Metric, string? ModelFolder, string? EncoderFolder, string? Source, string[] References, string[] Inputs,
        int BatchSize, bool OnlySystem, string? ToJson, string Device, string DType);

    public static bool IsComet(string metric) => metric is "comet" or "cometkiwi";

    public static void Run(Request q, TextWriter output, TextWriter error)
    {
        if (q.ModelFolder is null)
            throw new InvalidInputException($"-m {q.Metric} needs --comet-model DIR (a COMET folder: hparams.yaml + checkpoints/model.ckpt, or a safetensors export)");
        if (q.Source is null)
            throw new InvalidInputException($"-m {q.Metric} needs the source file (-s/--source)");
        if (q.References.Length > 1)
            throw new InvalidInputException($"-m {q.Metric} takes one reference file");
        bool useReference = q.Metric == "comet";
        if (!useReference && q.References.Length > 0)
            throw new InvalidInputException("-m cometkiwi scores without references: leave out -r, or use -m comet");

        var sources = ReadStripped(q.Source);
        var references = useReference && q.References.Length == 1 ? ReadStripped(q.References[0]) : null;
        var systems = q.Inputs.Select(p => (Path: p, Lines: ReadStripped(p))).ToList();
        SegmentFile.CheckSameLength([(q.Source, sources), .. references is null ? [] : new[] { (q.References[0], references) }, .. systems]);

        using var model = CometModel.Load(q.ModelFolder, q.EncoderFolder, DTypes.ParseDevice(q.Device), DTypes.Parse(q.DType));
        if (model.RequiresReference && references is null)
            throw new InvalidInputException($"{q.ModelFolder}: this COMET model ({model.Hparams.ClassIdentifier}) needs references: use -m comet with -r");
        if (useReference && !model.UsesReference)
            error.WriteLine($"pharos: warning: {q.ModelFolder}: this model ({model.Hparams.ClassIdentifier}) does not read references; -r is ignored");

        var scored = new List<(string File, IReadOnlyList<CometSegment> Segments, CometPrediction Prediction)>();
        foreach (var (path, lines) in systems)
        {
            var segments = lines.Select((mt, i) => new CometSegment(sources[i], mt, references?[i])).ToList();
            scored.Add((path, segments, model.Score(segments, q.BatchSize)));
        }
        foreach (var line in CometReport.Lines(scored.Select(s => (s.File, s.Prediction)).ToList(), q.OnlySystem))
            output.WriteLine(line);
        if (q.ToJson is { Length: > 0 } json)
        {
            var text = CometReport.Json(scored).ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
            AtomicFile.WriteAllText(json, text);
            output.WriteLine($"Predictions saved in: {json}.");
        }
    }

    /// <summary>COMET's CLI reads every file as line.strip().</summary>
    static string[] ReadStripped(string path) => SegmentFile.Read(path).Select(l => PythonText.Strip(l).ToString()).ToArray();
}
