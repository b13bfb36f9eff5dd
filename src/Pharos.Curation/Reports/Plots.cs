// The report's PNG plots (ScottPlot): labelled bar charts and fixed-bin histograms.
using ScottPlot;

namespace Pharos.Curation.Reports;

internal static class Plots
{
    public static string Bars(string path, string title, string[] labels, double[] values)
    {
        var plot = new Plot();
        var positions = Enumerable.Range(0, values.Length).Select(i => (double)i).ToArray();
        plot.Add.Bars(positions, values);
        plot.Axes.Bottom.SetTicks(positions, labels);
        plot.Axes.Bottom.TickLabelStyle.Rotation = 45;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
        plot.Axes.Margins(bottom: 0);
        plot.Title(title);
        plot.SavePng(path, 900, 420);
        return path;
    }

    public static string Histogram(string path, string title, IReadOnlyList<double> values, double min, double max, int bins)
    {
        var counts = new double[bins];
        foreach (var v in values)
            counts[Math.Clamp((int)((v - min) / (max - min) * bins), 0, bins - 1)]++;
        var plot = new Plot();
        var width = (max - min) / bins;
        var barList = counts.Select((c, i) => new Bar { Position = min + (i + 0.5) * width, Value = c, Size = width * 0.95 }).ToList();
        plot.Add.Bars(barList);
        plot.Axes.Margins(bottom: 0);
        plot.Title(title);
        plot.SavePng(path, 900, 360);
        return path;
    }
}
