// Packs examples into rows of at most `sequenceLength` tokens: a stream cut into fixed pieces (CPT), or whole examples
// placed side by side with their own document ids and positions so they never see each other (SFT).
namespace Pharos.Training.Datasets;

public static class Packer
{
    /// <summary>CPT: documents (already ending in EOS) joined into one stream and cut into rows of exactly
    /// sequenceLength (the last, shorter remainder is kept). One document id per row: plain causal attention.</summary>
    public static List<PackedSequence> PackStream(IEnumerable<TokenizedExample> examples, int sequenceLength)
    {
        var rows = new List<PackedSequence>();
        var ids = new List<int>(sequenceLength);
        var targets = new List<bool>(sequenceLength);
        foreach (var e in examples)
        {
            for (int i = 0; i < e.Length; i++)
            {
                ids.Add(e.Ids[i]);
                targets.Add(e.Targets[i]);
                if (ids.Count == sequenceLength) Flush();
            }
        }
        if (ids.Count > 1) Flush();
        return rows;

        void Flush()
        {
            int n = ids.Count;
            rows.Add(new PackedSequence([.. ids], [.. targets], new int[n], Enumerable.Range(0, n).ToArray()));
            ids.Clear();
            targets.Clear();
        }
    }

    /// <summary>SFT: whole examples, in order, into rows up to sequenceLength; a new row starts when the next one does not fit.
    /// Examples longer than a row must have been filtered out before (they are bad records: too_long).</summary>
    public static List<PackedSequence> PackExamples(IEnumerable<TokenizedExample> examples, int sequenceLength, bool pack = true)
    {
        var rows = new List<PackedSequence>();
        var ids = new List<int>();
        var targets = new List<bool>();
        var docs = new List<int>();
        var positions = new List<int>();
        int doc = 0;
        foreach (var e in examples)
        {
            if (e.Length > sequenceLength) throw new ArgumentException($"{e.File}:{e.Line}: example of {e.Length} tokens exceeds {sequenceLength}");
            if (ids.Count > 0 && (!pack || ids.Count + e.Length > sequenceLength)) Flush();
            ids.AddRange(e.Ids);
            targets.AddRange(e.Targets);
            docs.AddRange(Enumerable.Repeat(doc, e.Length));
            positions.AddRange(Enumerable.Range(0, e.Length));
            doc++;
        }
        if (ids.Count > 0) Flush();
        return rows;

        void Flush()
        {
            rows.Add(new PackedSequence([.. ids], [.. targets], [.. docs], [.. positions]));
            ids.Clear(); targets.Clear(); docs.Clear(); positions.Clear();
            doc = 0;
        }
    }
}
