// Removes lines made only of symbols (table rules like "|---|---|", stray "|"): FineWeb2's table-artefact cleanup, after datatrove's SymbolLinesFormatter.
using Pharos.Curation.Pipeline;
using Pharos.Curation.Text;

namespace Pharos.Curation.Filters;

public sealed class TableArtifactFormatter(string replacement = "") : DocumentFormatter
{
    public override string Name => "table_artifacts";

    protected internal override string Format(string text)
    {
        var lines = PyText.SplitLines(text);
        var output = new List<string>(lines.Count);
        var inRemovedSpan = false;
        var changed = false;
        foreach (var line in lines)
        {
            if (IsSymbolLine(line))
            {
                changed = true;
                // A run of symbol lines collapses to at most one replacement.
                if (!inRemovedSpan && replacement.Length > 0)
                    output.Add(replacement);
                inRemovedSpan = true;
            }
            else
            {
                var trimmed = TrimPipes(line);
                changed |= !ReferenceEquals(trimmed, line);
                output.Add(trimmed);
                inRemovedSpan = false;
            }
        }
        return changed ? string.Join('\n', output) : text;
    }

    // "| a | b |" → "a | b": the outer pipes of a flattened table row are markup, the inner ones separate cells.
    static string TrimPipes(string line)
    {
        var s = line.AsSpan().Trim();
        if (s.Length >= 2 && s[0] == '|' && s[^1] == '|')
            return s[1..^1].Trim().ToString();
        return line;
    }

    // Non-blank, and every character is punctuation or a space (datatrove's rule; lines of only whitespace stay).
    static bool IsSymbolLine(string line)
    {
        if (PyText.Strip(line).IsEmpty)
            return false;
        for (var i = 0; i < line.Length; i++)
        {
            var cp = WordSplitter.CodePoint(line, i, out var width);
            if (cp != ' ' && !Punctuation.IsPunctuation(cp))
                return false;
            i += width - 1;
        }
        return true;
    }
}
