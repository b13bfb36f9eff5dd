// A metric's result: name, full-precision score and the verbose part, printed the way sacrebleu prints them.
using System.Text;
using Pharos.Eval.Metrics.Text;

namespace Pharos.Eval.Metrics;

public class MetricScore
{
    public MetricScore(string name, double score)
    {
        Name = name;
        Score = score;
    }

    public string Name { get; }

    public double Score { get; }

    /// <summary>What follows the score on the text line (BLEU's precisions and brevity penalty); empty for chrF and TER.</summary>
    public virtual string Verbose => "";

    /// <summary>sacrebleu's `Score.format()`: "NAME|signature = 12.34 verbose" (width = decimals).</summary>
    public string Format(int width = 2, string signature = "", bool scoreOnly = false)
    {
        var sc = PythonFormat.Fixed(Score, width);
        if (scoreOnly)
            return sc;
        var head = signature.Length > 0 ? $"{Name}|{signature}" : Name;
        var line = $"{head} = {sc}";
        return Verbose.Length > 0 ? $"{line} {Verbose}" : line;
    }

    /// <summary>sacrebleu's JSON form (json.dumps(indent=1, ensure_ascii=False)): name, score, signature, verbose_score, then each signature field.</summary>
    public string FormatJson(int width, MetricSignature signature)
    {
        var fields = new List<(string Key, string Json)>
        {
            ("name", PythonJson.String(Name)),
            ("score", PythonFormat.Repr(double.Parse(PythonFormat.Fixed(Score, width), System.Globalization.CultureInfo.InvariantCulture))),
            ("signature", PythonJson.String(signature.Format())),
        };
        if (Verbose.Length > 0)
            fields.Add(("verbose_score", PythonJson.String(Verbose)));
        foreach (var (key, value) in signature.Fields())
            fields.Add((key, PythonJson.String(value)));
        var sb = new StringBuilder("{\n");
        for (var i = 0; i < fields.Count; i++)
        {
            sb.Append(' ').Append(PythonJson.String(fields[i].Key)).Append(": ").Append(fields[i].Json);
            sb.Append(i + 1 < fields.Count ? ",\n" : "\n");
        }
        return sb.Append('}').ToString();
    }

    public override string ToString() => Format();
}
