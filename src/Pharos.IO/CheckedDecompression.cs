// Wraps a decompressor so that every way compressed data can be damaged — a cut file, a bad block, a checksum mismatch —
// surfaces as one CorruptInputException naming the file and the compressed byte offset, whatever library threw.
namespace Pharos.IO;

internal sealed class CheckedDecompression(Stream decompressor, CountingStream file, string path, string format) : ReadOnlyStream
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

    protected override void Dispose(bool disposing)
    {
        if (disposing) decompressor.Dispose();
        base.Dispose(disposing);
    }
}
