// A line chart as a PNG (ScottPlot 5): one named series of (x, y) points per line, e.g. training loss over steps
// per stage, or eval loss of two runs side by side.
using ScottPlot;

namespace Pharos.Eval.Reports;

public sealed record LineSeries(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y);

public static class LineChart
{
    /// <param name="xTicks">labels at x = 0, 1, 2, … (e.g. stage names) instead of numbers; null = numeric axis</param>
    public static void Save(string path, string title, string xLabel, string yLabel, IReadOnlyList<LineSeries> series,
        IReadOnlyList<string>? xTicks = null, int width = 900, int height = 420)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        for (int i = 0; i < series.Count; i++)
        {
            var s = series[i];
            if (s.X.Count == 0) continue;
            var line = plot.Add.Scatter(s.X.ToArray(), s.Y.ToArray(), palette.GetColor(i));
            line.LegendText = s.Name;
            line.MarkerSize = s.X.Count > 40 ? 0 : 5;
        }
        if (xTicks is not null)
        {
            plot.Axes.Bottom.SetTicks(Enumerable.Range(0, xTicks.Count).Select(i => (double)i).ToArray(), xTicks.ToArray());
            plot.Axes.SetLimitsX(-0.3, xTicks.Count - 0.7);
        }
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        if (series.Count > 1) plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(path, width, height);
    }
}
