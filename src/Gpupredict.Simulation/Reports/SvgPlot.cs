using System.Globalization;
using System.Text;

namespace Gpupredict.Simulation.Reports;

/// <summary>
/// A small SVG writer for report plots: panels with axes, "nice" ticks, polylines, bars and a
/// legend. Output is deterministic (invariant culture, fixed precision, drawing order as called)
/// and well-formed XML; every piece of text is escaped.
/// </summary>
public sealed class SvgPlot
{
    private const double Left = 64;
    private const double Right = 16;
    private const double Top = 28;
    private const double Bottom = 40;

    private readonly StringBuilder _body = new();

    /// <summary>Starts a drawing of the given size in pixels.</summary>
    public SvgPlot(double width, double height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        Width = width;
        Height = height;
    }

    /// <summary>Width, pixels.</summary>
    public double Width { get; }

    /// <summary>Height, pixels.</summary>
    public double Height { get; }

    /// <summary>Text at (x, y); <paramref name="anchor"/> is "start", "middle" or "end".</summary>
    public void Text(double x, double y, string text, string anchor = "start", double size = 12, bool bold = false) =>
        _body.Append(Inv($"<text x=\"{x:0.##}\" y=\"{y:0.##}\" font-size=\"{size:0.##}\" text-anchor=\"{anchor}\"{(bold ? " font-weight=\"bold\"" : "")}>")).Append(Escape(text)).Append("</text>\n");

    /// <summary>
    /// A line chart in the box (x, y, w, h): axes from 0 to <paramref name="xMax"/> and 0 to the
    /// largest value (or <paramref name="yMax"/> when larger), ticks, one polyline per series, a legend.
    /// </summary>
    public void LinePanel(double x, double y, double w, double h, string title, string xLabel, string yLabel, double xMax, double yMax, IReadOnlyList<PlotSeries> series)
    {
        ArgumentNullException.ThrowIfNull(series);
        double top = Math.Max(yMax, series.SelectMany(s => s.Points).Select(p => p.Y).DefaultIfEmpty(0).Max());
        (double x0, double y0, double pw, double ph) = Frame(x, y, w, h, title, xLabel, yLabel, xMax, top);
        double sx = pw / Math.Max(xMax, 1e-12);
        double sy = ph / NiceMax(top);
        foreach (PlotSeries s in series)
        {
            var points = new StringBuilder();
            foreach ((double px, double py) in s.Points)
            {
                points.Append(Inv($"{x0 + (px * sx):0.##},{y0 + ph - (py * sy):0.##} "));
            }

            _body.Append(Inv($"<polyline fill=\"none\" stroke=\"{Escape(s.Color)}\" stroke-width=\"1.2\"{(s.Dashed ? " stroke-dasharray=\"4 2\"" : "")} points=\"{points.ToString().TrimEnd()}\"/>\n"));
        }

        Legend(x0 + pw - 150, y0 + 4, series.Select(s => (s.Label, s.Color)).ToArray());
    }

    /// <summary>
    /// A scatter chart in the box (x, y, w, h): axes from 0 to the largest x and y (or the given
    /// minimum maxima), one labelled dot per point.
    /// </summary>
    public void ScatterPanel(double x, double y, double w, double h, string title, string xLabel, string yLabel, double xMax, double yMax, IReadOnlyList<PlotPoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        double right = Math.Max(xMax, points.Select(p => p.X).DefaultIfEmpty(0).Max());
        double top = Math.Max(yMax, points.Select(p => p.Y).DefaultIfEmpty(0).Max());
        (double x0, double y0, double pw, double ph) = Frame(x, y, w, h, title, xLabel, yLabel, NiceMax(right), top);
        double sx = pw / NiceMax(right);
        double sy = ph / NiceMax(top);
        foreach (PlotPoint p in points)
        {
            double cx = x0 + (p.X * sx), cy = y0 + ph - (p.Y * sy);
            _body.Append(Inv($"<circle cx=\"{cx:0.##}\" cy=\"{cy:0.##}\" r=\"4\" fill=\"{Escape(p.Color)}\"/>\n"));
            Text(cx + 6, cy - 4, p.Label, "start", 9);
        }
    }

    /// <summary>A bar chart in the box (x, y, w, h): one bar per entry, its value printed above it.</summary>
    public void BarPanel(double x, double y, double w, double h, string title, string yLabel, IReadOnlyList<PlotBar> bars, Func<double, string> format)
    {
        ArgumentNullException.ThrowIfNull(bars);
        ArgumentNullException.ThrowIfNull(format);
        double top = bars.Select(b => b.Value).DefaultIfEmpty(0).Max();
        (double x0, double y0, double pw, double ph) = Frame(x, y, w, h, title, "", yLabel, xMax: 0, top);
        double sy = ph / NiceMax(top);
        double slot = pw / Math.Max(1, bars.Count);
        for (int i = 0; i < bars.Count; i++)
        {
            PlotBar b = bars[i];
            double bh = Math.Max(0, b.Value) * sy;
            double bx = x0 + (i * slot) + (slot * 0.15);
            _body.Append(Inv($"<rect x=\"{bx:0.##}\" y=\"{y0 + ph - bh:0.##}\" width=\"{slot * 0.7:0.##}\" height=\"{bh:0.##}\" fill=\"{Escape(b.Color)}\"/>\n"));
            Text(bx + (slot * 0.35), y0 + ph - bh - 3, format(b.Value), "middle", 10);
            Text(bx + (slot * 0.35), y0 + ph + 14, b.Label, "middle", 10);
        }
    }

    /// <summary>The whole document.</summary>
    public override string ToString() =>
        Inv($"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width:0.##}\" height=\"{Height:0.##}\" viewBox=\"0 0 {Width:0.##} {Height:0.##}\" font-family=\"sans-serif\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n")
        + _body + "</svg>\n";

    /// <summary>Escapes text for XML content and attribute values.</summary>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sb = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            sb.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&apos;",
                // Characters XML 1.0 cannot carry at all are dropped rather than emitted.
                < ' ' and not ('\t' or '\n' or '\r') => "",
                _ => c.ToString(),
            });
        }

        return sb.ToString();
    }

    /// <summary>The round number ≥ <paramref name="max"/> the y axis ends at (1, 2 or 5 times a power of ten).</summary>
    public static double NiceMax(double max)
    {
        if (!(max > 0) || !double.IsFinite(max))
        {
            return 1;
        }

        double step = NiceStep(max / 5);
        return Math.Ceiling((max / step) - 1e-9) * step;
    }

    /// <summary>1, 2 or 5 times a power of ten, ≥ <paramref name="raw"/>.</summary>
    public static double NiceStep(double raw)
    {
        if (!(raw > 0) || !double.IsFinite(raw))
        {
            return 1;
        }

        double p = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double m = raw / p;
        return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
    }

    /// <summary>Title, axes, ticks and labels; returns the plotting area.</summary>
    private (double X0, double Y0, double W, double H) Frame(double x, double y, double w, double h, string title, string xLabel, string yLabel, double xMax, double yTop)
    {
        double x0 = x + Left, y0 = y + Top, pw = w - Left - Right, ph = h - Top - Bottom;
        Text(x + (w / 2), y + 16, title, "middle", 13, bold: true);
        _body.Append(Inv($"<path d=\"M{x0:0.##},{y0:0.##} V{y0 + ph:0.##} H{x0 + pw:0.##}\" fill=\"none\" stroke=\"black\"/>\n"));
        double yStep = NiceStep(NiceMax(yTop) / 5);
        double yEnd = NiceMax(yTop);
        for (double v = 0; v <= yEnd + (yStep / 2); v += yStep)
        {
            double py = y0 + ph - (v / yEnd * ph);
            _body.Append(Inv($"<path d=\"M{x0 - 4:0.##},{py:0.##} H{x0 + pw:0.##}\" stroke=\"#dddddd\"/>\n"));
            Text(x0 - 6, py + 4, Tick(v), "end", 10);
        }

        if (xMax > 0)
        {
            double xStep = NiceStep(xMax / 8);
            for (double v = 0; v <= xMax + 1e-9; v += xStep)
            {
                double px = x0 + (v / xMax * pw);
                _body.Append(Inv($"<path d=\"M{px:0.##},{y0 + ph:0.##} v4\" stroke=\"black\"/>\n"));
                Text(px, y0 + ph + 15, Tick(v), "middle", 10);
            }
        }

        if (xLabel.Length > 0)
        {
            Text(x0 + (pw / 2), y0 + ph + 32, xLabel, "middle", 11);
        }

        double ly = y0 + (ph / 2);
        _body.Append(Inv($"<text x=\"{x + 14:0.##}\" y=\"{ly:0.##}\" font-size=\"11\" text-anchor=\"middle\" transform=\"rotate(-90 {x + 14:0.##} {ly:0.##})\">")).Append(Escape(yLabel)).Append("</text>\n");
        return (x0, y0, pw, ph);
    }

    private void Legend(double x, double y, (string Label, string Color)[] entries)
    {
        for (int i = 0; i < entries.Length; i++)
        {
            double ly = y + (i * 14);
            _body.Append(Inv($"<rect x=\"{x:0.##}\" y=\"{ly:0.##}\" width=\"12\" height=\"8\" fill=\"{Escape(entries[i].Color)}\"/>\n"));
            Text(x + 16, ly + 8, entries[i].Label, "start", 10);
        }
    }

    private static string Tick(double v) => v.ToString(Math.Abs(v) >= 100 || v == Math.Floor(v) ? "0" : "0.##", CultureInfo.InvariantCulture);

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
