// Drops documents whose language ID confidence is below their language's threshold (FineWeb2's per-language language_score cut).
using Pharos.Curation.Pipeline;

namespace Pharos.Curation.Filters;

public sealed class LanguageScoreFilter(LanguageTable table, double? fixedThreshold = null) : DocumentFilter
{
    public override string Name => "language_score";

    protected internal override Decision Decide(Document doc)
    {
        var score = doc.GetDouble(MetadataKeys.LanguageScore);
        if (score is null)
            return Decision.Drop("no_language_score");
        var threshold = fixedThreshold ?? table.For(doc.LanguageLabel).LanguageScore ?? 0;
        return score.Value >= threshold ? Decision.Kept : Decision.Drop("language_score");
    }
}
