// json.dumps(..., ensure_ascii=False) string escaping, for output that byte-matches sacrebleu's JSON.

namespace Pharos.Eval.Metrics.Text;

public static class PythonJson
{
    public static string String(string s) => Pharos.Models.Text.PythonJsonString.Quote(s);

    /// <summary>A float as json.dumps writes it (repr; NaN/Infinity spelled as Python does).</summary>
    public static string Number(double? x) => x is null ? "null" : double.IsNaN(x.Value) ? "NaN" : double.IsInfinity(x.Value) ? (x > 0 ? "Infinity" : "-Infinity") : PythonFormat.Repr(x.Value);
}
