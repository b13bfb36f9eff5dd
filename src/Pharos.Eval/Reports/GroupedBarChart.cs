// A grouped bar chart as a PNG (ScottPlot 5): one group per category (language pair, instruction type), one bar per run.
using ScottPlot;

namespace Pharos.Eval.Reports;

public static class GroupedBarChart
{
    /// <summary>
    /// Writes <paramref name="path"/>. <paramref name="values"/>[run][category] is a value or null (the run has no such
    /// category: no bar, rather than a misleading zero).
    /// </summary>
    public static void Save(string path, string title, string yLabel, IReadOnlyList<string> runs, IReadOnlyList<string> categories,
        IReadOnlyList<IReadOnlyList<double?>> values, double? yMax = null)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        int groupWidth = runs.Count + 1;
        var bars = new List<Bar>();
        for (int c = 0; c < categories.Count; c++)
            for (int r = 0; r < runs.Count; r++)
                if (values[r][c] is double v)
                    bars.Add(new Bar { Position = c * groupWidth + r, Value = v, FillColor = palette.GetColor(r), LineWidth = 0 });
        if (bars.Count > 0) plot.Add.Bars(bars);

        var ticks = Enumerable.Range(0, categories.Count).Select(c => c * groupWidth + (runs.Count - 1) / 2.0).ToArray();
        plot.Axes.Bottom.SetTicks(ticks, ShortLabels(categories));
        // Long instruction ids need slanted labels and room below the axis.
        bool slanted = categories.Any(c => c.Length > 8);
        if (slanted)
        {
            plot.Axes.Bottom.TickLabelStyle.Rotation = 45;
            plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
            plot.Axes.Bottom.MinimumSize = 6 * Math.Min(40, ShortLabels(categories).Max(c => c.Length)) + 10;
            // The last labels run to the right of the data area.
            plot.Axes.Right.MinimumSize = 6 * Math.Min(30, ShortLabels(categories)[^1].Length);
        }
        plot.Title(title);
        plot.YLabel(yLabel);
        plot.Axes.SetLimitsX(-1, Math.Max(1, categories.Count * groupWidth - 1));
        double top = yMax ?? Math.Max(1, bars.Count == 0 ? 1 : bars.Max(b => b.Value) * 1.1);
        plot.Axes.SetLimitsY(0, top);
        if (runs.Count > 1)
        {
            for (int r = 0; r < runs.Count; r++)
                plot.Legend.ManualItems.Add(new LegendItem { LabelText = runs[r], FillColor = palette.GetColor(r) });
            plot.ShowLegend(Alignment.UpperRight);
        }
        int width = Math.Clamp(120 + categories.Count * runs.Count * 28, 640, 1800);
        plot.SavePng(path, width, slanted ? 560 : 420);
    }

    /// <summary>"detectable_format:title" → "title" when the short names stay distinct (the tables keep the full ids).</summary>
    static string[] ShortLabels(IReadOnlyList<string> categories)
    {
        var shortened = categories.Select(c => c[(c.LastIndexOf(':') + 1)..]).ToArray();
        return shortened.Distinct().Count() == shortened.Length ? shortened : categories.ToArray();
    }
}
