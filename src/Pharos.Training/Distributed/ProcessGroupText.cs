// Strings across ranks (metric names, recipe hashes) as bytes: lengths gathered first, then the padded bytes.
using System.Text;
using static TorchSharp.torch;

namespace Pharos.Training.Distributed;

public static class ProcessGroupText
{
    /// <returns>every rank's string, in rank order</returns>
    public static List<string> AllGather(IProcessGroup group, string value)
    {
        if (group.Size == 1) return [value];
        var bytes = Encoding.UTF8.GetBytes(value);
        using var length = tensor(new[] { (long)bytes.Length });
        using var lengths = zeros(group.Size, ScalarType.Int64);
        group.AllGather(length, lengths);
        var all = lengths.data<long>().ToArray();
        long width = Math.Max(1, all.Max());
        var padded = new byte[width];
        bytes.CopyTo(padded, 0);
        using var mine = tensor(padded);
        using var gathered = zeros(group.Size * width, ScalarType.Byte);
        group.AllGather(mine, gathered);
        var flat = gathered.data<byte>().ToArray();
        return all.Select((n, r) => Encoding.UTF8.GetString(flat, (int)(r * width), (int)n)).ToList();
    }
}
