// Language identification step: writes language, language_script, language_score and alternatives above a floor to metadata.
using System.Diagnostics;
using Pharos.Curation.Pipeline;

namespace Pharos.Curation.LanguageId;

public sealed class LanguageIdStep(FastTextModel model, double keepAlternativesAbove = 0.01, int maxAlternatives = 10) : IPipelineStep
{
    public string Name => "language_id";

    public IEnumerable<Document> Run(IEnumerable<Document> input, StepStats stats)
    {
        foreach (var doc in input)
        {
            stats.In++;
            var start = Stopwatch.GetTimestamp();
            Annotate(doc);
            stats.AddTime(start);
            stats.Kept++;
            stats.Count("lang:" + (doc.Language ?? "none"));
            yield return doc;
        }
    }

    public void Annotate(Document doc)
    {
        var predictions = model.Predict(doc.Text, maxAlternatives, (float)keepAlternativesAbove);
        if (predictions.Count == 0)
        {
            doc.Metadata[MetadataKeys.Language] = "und";
            doc.Metadata[MetadataKeys.LanguageScore] = 0.0;
            return;
        }
        var (language, script) = LanguageLabel.Parse(predictions[0].Label);
        doc.Metadata[MetadataKeys.Language] = language;
        doc.Metadata[MetadataKeys.LanguageScript] = script ?? ScriptDetector.Dominant(doc.Text);
        doc.Metadata[MetadataKeys.LanguageScore] = Math.Round(predictions[0].Probability, 6);
        // FineWeb2 keeps every label above 0.01 so later steps can reconsider close calls.
        doc.Metadata[MetadataKeys.TopLanguagePairs] = predictions.ToDictionary(p => LanguageLabel.Strip(p.Label), p => Math.Round(p.Probability, 6));
    }
}
