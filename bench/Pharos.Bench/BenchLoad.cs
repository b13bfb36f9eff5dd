// The machine's 1-minute load average, printed with every figure: numbers taken under load are not comparable.
namespace Pharos.Bench;

internal static class BenchLoad
{
    public static string Now() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
}
