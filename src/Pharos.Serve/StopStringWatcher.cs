// Streams one choice's text, holding back any tail that could be the start of a stop string, and cutting at the
// earliest place where any stop string occurs (whichever string it is, whatever order the client listed them in).
namespace Pharos.Serve;

internal sealed class StopStringWatcher(IReadOnlyList<string> stops)
{
    readonly System.Text.StringBuilder pending = new();
    readonly System.Text.StringBuilder all = new();

    public bool Stopped { get; private set; }
    public string Text => all.ToString();

    /// <summary>Adds decoded text; returns what may be sent to the client now.</summary>
    public string Push(string text)
    {
        if (Stopped || text.Length == 0) return "";
        pending.Append(text);
        var current = pending.ToString();
        int cut = -1;
        foreach (var stop in stops)
        {
            int at = current.IndexOf(stop, StringComparison.Ordinal);
            if (at >= 0 && (cut < 0 || at < cut)) cut = at;
        }
        if (cut >= 0)
        {
            Stopped = true;
            pending.Clear();
            return Emit(current[..cut]);
        }
        // Nothing sent so far can start a stop string: any stop that completes later begins inside the held tail.
        int hold = HeldBack(current);
        pending.Clear().Append(current[^hold..]);
        return Emit(current[..^hold]);
    }

    /// <summary>At the end of generation, whatever was held back is final.</summary>
    public string Flush()
    {
        var rest = Stopped ? "" : pending.ToString();
        pending.Clear();
        return Emit(rest);
    }

    string Emit(string text)
    {
        all.Append(text);
        return text;
    }

    /// <summary>Length of the longest suffix of <paramref name="text"/> that is a proper prefix of some stop string.</summary>
    int HeldBack(string text)
    {
        int best = 0;
        foreach (var stop in stops)
            for (int k = Math.Min(stop.Length - 1, text.Length); k > best; k--)
                if (text.AsSpan(text.Length - k).SequenceEqual(stop.AsSpan(0, k))) { best = k; break; }
        return best;
    }
}
