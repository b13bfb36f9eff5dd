// Wraps a decompressor so that every way compressed data can be damaged — a cut file, a bad block, a checksum mismatch —
// surfaces as one CorruptInputException naming the file and the compressed byte offset, whatever library threw.
namespace Pharos.IO;

internal sealed class CheckedDecompression(Stream decompressor, CountingStream file, string path, string format) : Stream
{
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        try
        {
            return decompressor.Read(buffer);
        }
        catch (Exception e) when (e is not CorruptInputException && IsDataError(e))
        {
            throw new CorruptInputException(path, file.BytesRead, $"{format} stream: {e.Message}", e);
        }
    }

    static bool IsDataError(Exception e) => e is InvalidDataException or EndOfStreamException or IOException
        or ICSharpCode.SharpZipLib.SharpZipBaseException or ZstdSharp.ZstdException;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) decompressor.Dispose();
        base.Dispose(disposing);
    }
}
