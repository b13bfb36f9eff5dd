// One formatted record: its token ids, which ids are targets, and where it came from (for the too-long report).
namespace Pharos.Training.Datasets;

public sealed record TokenizedExample(int[] Ids, bool[] Targets, string File, long Line)
{
    public int Length => Ids.Length;
    public long TargetCount => Targets.Count(t => t);
}
