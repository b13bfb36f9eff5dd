// One document's entry in a token shard's index: where its tokens are, the source line it came from, how many of its
// tokens are loss targets, how many copies a rehydrated mix takes, and whether it is free text (CPT may split it).
using System.Runtime.InteropServices;

namespace Pharos.Training.Datasets.Shards;

[StructLayout(LayoutKind.Sequential)]
public readonly record struct ShardDocument(long Start, long Line, int Length, int Targets, int Copies, int Flags)
{
    public const int Size = 32;
    /// <summary>A `text` record: every token a target, and a CPT stream may cut it across rows.</summary>
    public const int TextFlag = 1;

    public bool IsText => (Flags & TextFlag) != 0;
}
