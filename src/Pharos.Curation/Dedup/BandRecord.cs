// Sorted band files: one (band key, document index) record per document and band, 12 bytes each, written sorted by key then index.
using Pharos.IO;
using System.Buffers.Binary;

namespace Pharos.Curation.Dedup;

public readonly record struct BandRecord(ulong Key, int Doc) : IComparable<BandRecord>
{
    public const int Size = 12;

    public int CompareTo(BandRecord other) => Key != other.Key ? Key.CompareTo(other.Key) : Doc.CompareTo(other.Doc);

    public static void WriteSorted(string path, List<BandRecord> records)
    {
        records.Sort();
        var temp = AtomicFile.CreateTemp(path);
        var tempName = temp.Name;
        using (var output = new BufferedStream(temp, 1 << 16))
        {
            Span<byte> buffer = stackalloc byte[Size];
            foreach (var r in records)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(buffer, r.Key);
                BinaryPrimitives.WriteInt32LittleEndian(buffer[8..], r.Doc);
                output.Write(buffer);
            }
        }
        // BufferedStream disposal closed the file; reopen to fsync and rename.
        AtomicFile.CommitClosed(tempName, path);
    }

    /// <summary>Streams a band file's records in their (sorted) order with a small buffer: memory stays constant.</summary>
    public static IEnumerable<BandRecord> Read(string path)
    {
        using var input = new BufferedStream(File.OpenRead(path), 1 << 16);
        var buffer = new byte[Size];
        while (input.ReadAtLeast(buffer, Size, throwOnEndOfStream: false) == Size)
            yield return new BandRecord(BinaryPrimitives.ReadUInt64LittleEndian(buffer), BinaryPrimitives.ReadInt32LittleEndian(buffer.AsSpan(8)));
    }
}
