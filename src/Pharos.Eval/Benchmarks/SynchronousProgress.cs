// An IProgress that reports on the calling thread, at once: Progress<T> posts to the thread pool, so its reports can
// arrive after the suite has finished (a progress bar left short, a line printed out of order).
namespace Pharos.Eval.Benchmarks;

public sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
