// json.dumps(..., ensure_ascii=False) string escaping, for output that byte-matches sacrebleu's JSON.
using System.Text;

namespace Pharos.Eval.Metrics.Text;

public static class PythonJson
{
    public static string String(string s)
    {
        var sb = new StringBuilder(s.Length + 2);
        sb.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                default:
                    if (c < 0x20)
                        sb.Append("\\u").Append(((int)c).ToString("x4"));
                    else
                        sb.Append(c);
                    break;
            }
        }
        return sb.Append('"').ToString();
    }

    /// <summary>A float as json.dumps writes it (repr; NaN/Infinity spelled as Python does).</summary>
    public static string Number(double? x) => x is null ? "null" : double.IsNaN(x.Value) ? "NaN" : double.IsInfinity(x.Value) ? (x > 0 ? "Infinity" : "-Infinity") : PythonFormat.Repr(x.Value);
}
