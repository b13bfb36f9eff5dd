// Writes one token shard: token ids (uint16 when the vocabulary fits, else uint32), the document index, and — when any
// document is a conversation — one loss-mask byte per token. Written to a temporary name and renamed, so a shard that
// exists is complete.
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Pharos.IO;

namespace Pharos.Training.Datasets.Shards;

public sealed class TokenShardWriter : IDisposable
{
    readonly string path;
    readonly int tokenBytes;
    readonly FileStream ids;
    readonly FileStream mask;
    readonly List<ShardDocument> documents = [];
    readonly byte[] buffer = new byte[1 << 16];
    long tokens;
    bool anyChat, committed;

    public TokenShardWriter(string path, int vocabSize)
    {
        this.path = path;
        tokenBytes = TokenShard.TokenBytesFor(vocabSize);
        ids = AtomicFile.CreateTemp(path);
        ids.Write(new byte[TokenShard.HeaderSize]);
        mask = AtomicFile.CreateTemp(path + ".mask");
    }

    public long Tokens => tokens;
    public int Documents => documents.Count;

    /// <param name="copies">how many times a rehydrated mix repeats this document (1: once)</param>
    public void Add(TokenizedExample example, bool isText, int copies = 1)
    {
        int targets = 0;
        for (int i = 0; i < example.Length; i++) if (example.Targets[i]) targets++;
        documents.Add(new ShardDocument(tokens, example.Line, example.Length, targets, copies, isText ? ShardDocument.TextFlag : 0));
        anyChat |= !isText;
        WriteIds(example.Ids);
        for (int start = 0; start < example.Length; start += buffer.Length)
        {
            int n = Math.Min(buffer.Length, example.Length - start);
            for (int i = 0; i < n; i++) buffer[i] = example.Targets[start + i] ? (byte)1 : (byte)0;
            mask.Write(buffer, 0, n);
        }
        tokens += example.Length;
    }

    void WriteIds(int[] values)
    {
        int per = buffer.Length / tokenBytes;
        for (int start = 0; start < values.Length; start += per)
        {
            int n = Math.Min(per, values.Length - start);
            for (int i = 0; i < n; i++)
            {
                int id = values[start + i];
                if (tokenBytes == 2) BinaryPrimitives.WriteUInt16LittleEndian(buffer.AsSpan(2 * i), checked((ushort)id));
                else BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(4 * i), checked((uint)id));
            }
            ids.Write(buffer, 0, n * tokenBytes);
        }
    }

    public void Commit()
    {
        // Sections start on 8-byte boundaries so the index can be read in place.
        Pad(ids);
        long docsOffset = ids.Position;
        ids.Write(MemoryMarshal.AsBytes(CollectionsMarshal.AsSpan(documents)));
        long maskOffset = 0;
        if (anyChat)
        {
            Pad(ids);
            maskOffset = ids.Position;
            mask.Position = 0;
            mask.CopyTo(ids);
        }
        ids.Position = 0;
        ids.Write(TokenShard.Header(tokenBytes, tokens, documents.Count, docsOffset, maskOffset));
        AtomicFile.Commit(ids, path);
        mask.Dispose();
        AtomicFile.Discard(mask.Name);
        committed = true;
    }

    static void Pad(FileStream s)
    {
        while (s.Position % 8 != 0) s.WriteByte(0);
    }

    public void Dispose()
    {
        if (committed) return;
        ids.Dispose();
        mask.Dispose();
        AtomicFile.Discard(ids.Name);
        AtomicFile.Discard(mask.Name);
    }
}
