// A token shard read through mmap: a 64-byte header, the token ids, the document index (ShardDocument records) and an
// optional loss mask. Nothing is loaded: rows copy their tokens straight from the mapping.
using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;
using Pharos.IO;
using Pharos.Models.Errors;

namespace Pharos.Training.Datasets.Shards;

public sealed unsafe class TokenShard : IDisposable
{
    public const int HeaderSize = 64;
    static readonly byte[] Magic = "PHTOKSH1"u8.ToArray();

    readonly MappedFile file;
    readonly byte* ids;
    readonly ShardDocument* docs;
    readonly byte* mask;

    TokenShard(MappedFile file, int tokenBytes, long tokens, long documents, long docsOffset, long maskOffset)
    {
        this.file = file;
        TokenBytes = tokenBytes;
        Tokens = tokens;
        Documents = documents;
        ids = file.At(HeaderSize);
        docs = (ShardDocument*)file.At(docsOffset);
        mask = maskOffset == 0 ? null : file.At(maskOffset);
    }

    public string Path => file.Path;
    public int TokenBytes { get; }
    public long Tokens { get; }
    public long Documents { get; }
    public bool HasMask => mask != null;

    public static int TokenBytesFor(int vocabSize) => vocabSize <= 65536 ? 2 : 4;

    public static byte[] Header(int tokenBytes, long tokens, long documents, long docsOffset, long maskOffset)
    {
        var h = new byte[HeaderSize];
        Magic.CopyTo(h, 0);
        BinaryPrimitives.WriteInt32LittleEndian(h.AsSpan(8), 1); // format version
        BinaryPrimitives.WriteInt32LittleEndian(h.AsSpan(12), tokenBytes);
        BinaryPrimitives.WriteInt64LittleEndian(h.AsSpan(16), tokens);
        BinaryPrimitives.WriteInt64LittleEndian(h.AsSpan(24), documents);
        BinaryPrimitives.WriteInt64LittleEndian(h.AsSpan(32), docsOffset);
        BinaryPrimitives.WriteInt64LittleEndian(h.AsSpan(40), maskOffset);
        return h;
    }

    public static TokenShard Open(string path)
    {
        var file = MappedFile.Open(path);
        try
        {
            var h = new ReadOnlySpan<byte>(file.At(0), (int)Math.Min(HeaderSize, file.Length));
            if (h.Length < HeaderSize || !h[..8].SequenceEqual(Magic))
                throw new PharosException($"{path}: not a Pharos token shard (bad header)");
            int version = BinaryPrimitives.ReadInt32LittleEndian(h[8..]), tokenBytes = BinaryPrimitives.ReadInt32LittleEndian(h[12..]);
            long tokens = BinaryPrimitives.ReadInt64LittleEndian(h[16..]), documents = BinaryPrimitives.ReadInt64LittleEndian(h[24..]);
            long docsOffset = BinaryPrimitives.ReadInt64LittleEndian(h[32..]), maskOffset = BinaryPrimitives.ReadInt64LittleEndian(h[40..]);
            if (version != 1 || tokenBytes is not (2 or 4))
                throw new PharosException($"{path}: token shard version {version} with {tokenBytes}-byte ids is not one this Pharos reads");
            long end = maskOffset == 0 ? docsOffset + documents * ShardDocument.Size : maskOffset + tokens;
            if (docsOffset < HeaderSize + tokens * tokenBytes || end != file.Length)
                throw new PharosException($"{path}: token shard is {file.Length} bytes but its header describes {end}: the file is damaged");
            return new TokenShard(file, tokenBytes, tokens, documents, docsOffset, maskOffset);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    public ShardDocument Document(long index)
    {
        if ((ulong)index >= (ulong)Documents) throw new ArgumentOutOfRangeException(nameof(index));
        return docs[index];
    }

    /// <summary>Copies <paramref name="destination"/>.Length token ids starting at token <paramref name="start"/>.</summary>
    public void CopyIds(long start, Span<int> destination)
    {
        if (start < 0 || start + destination.Length > Tokens) throw new ArgumentOutOfRangeException(nameof(start));
        if (TokenBytes == 2)
        {
            var source = new ReadOnlySpan<ushort>(ids + 2 * start, destination.Length);
            var wide = MemoryMarshal.Cast<int, uint>(destination);
            int i = 0;
            // Widened a vector at a time: the loader's hot loop (uint16 ids to the int rows the batches are built from).
            for (; i + Vector<ushort>.Count <= source.Length; i += Vector<ushort>.Count)
            {
                Vector.Widen(new Vector<ushort>(source[i..]), out var low, out var high);
                low.CopyTo(wide[i..]);
                high.CopyTo(wide[(i + Vector<uint>.Count)..]);
            }
            for (; i < source.Length; i++) destination[i] = source[i];
        }
        else
            MemoryMarshal.Cast<uint, int>(new ReadOnlySpan<uint>(ids + 4 * start, destination.Length)).CopyTo(destination);
    }

    /// <summary>Loss targets of the tokens from <paramref name="start"/>; a shard without a mask has only text (all targets).</summary>
    public void CopyTargets(long start, Span<bool> destination)
    {
        if (mask == null)
        {
            destination.Fill(true);
            return;
        }
        var source = new ReadOnlySpan<byte>(mask + start, destination.Length);
        for (int i = 0; i < source.Length; i++) destination[i] = source[i] != 0;
    }

    /// <summary>One document as a TokenizedExample (eval rows and tests; training rows copy straight into their row).</summary>
    public TokenizedExample Example(long index, string sourceFile)
    {
        var d = Document(index);
        var idsOut = new int[d.Length];
        var targets = new bool[d.Length];
        CopyIds(d.Start, idsOut);
        CopyTargets(d.Start, targets);
        return new TokenizedExample(idsOut, targets, sourceFile, d.Line);
    }

    public void ReleaseResident() => file.ReleaseResident();

    public void Dispose() => file.Dispose();

    public override string ToString() => new StringBuilder().Append(Path).Append(": ").Append(Tokens).Append(" tokens, ").Append(Documents).Append(" documents").ToString();
}
