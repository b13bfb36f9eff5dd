// The training arguments stored at the head of a fastText model file (fastText's Args::save layout).
namespace Pharos.Curation.LanguageId;

public sealed record FastTextArgs
{
    public int Dim { get; init; }
    public int Ws { get; init; }
    public int Epoch { get; init; }
    public int MinCount { get; init; }
    public int Neg { get; init; }
    public int WordNgrams { get; init; }
    public FastTextLoss Loss { get; init; }
    public int Model { get; init; }
    public int Bucket { get; init; }
    public int Minn { get; init; }
    public int Maxn { get; init; }
    public int LrUpdateRate { get; init; }
    public double T { get; init; }

    internal static FastTextArgs Read(BinaryReader r) => new()
    {
        Dim = r.ReadInt32(), Ws = r.ReadInt32(), Epoch = r.ReadInt32(), MinCount = r.ReadInt32(), Neg = r.ReadInt32(),
        WordNgrams = r.ReadInt32(), Loss = (FastTextLoss)r.ReadInt32(), Model = r.ReadInt32(), Bucket = r.ReadInt32(),
        Minn = r.ReadInt32(), Maxn = r.ReadInt32(), LrUpdateRate = r.ReadInt32(), T = r.ReadDouble(),
    };
}

/// <summary>fastText's loss_name enum values.</summary>
public enum FastTextLoss { HierarchicalSoftmax = 1, NegativeSampling = 2, Softmax = 3, OneVsAll = 4 }
