// Reads '\n'-terminated lines as raw bytes with their byte offset, so a bad line can be reported and skipped without decoding the rest.
namespace Pharos.IO;

public sealed class ByteLineReader
{
    readonly Stream _stream;
    byte[] _buffer = new byte[1 << 16];
    int _start, _end;
    bool _eof;
    long _position;

    public ByteLineReader(Stream stream) => _stream = stream;

    /// <summary>False when the last line returned ended at the end of the stream without a '\n'.</summary>
    public bool LastLineTerminated { get; private set; } = true;

    /// <summary>Offset of the next line's first byte in the (decompressed) stream.</summary>
    public long Position => _position;

    /// <summary>The next line without its terminator, or false at the end. A stream error (truncated gzip/zstd) propagates.</summary>
    public bool TryReadLine(out ReadOnlyMemory<byte> line, out long offset)
    {
        offset = _position;
        while (true)
        {
            var nl = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (nl >= 0)
            {
                line = _buffer.AsMemory(_start, nl - _start);
                LastLineTerminated = true;
                _position += nl - _start + 1;
                _start = nl + 1;
                return true;
            }
            if (_eof)
            {
                if (_start == _end)
                {
                    line = default;
                    return false;
                }
                line = _buffer.AsMemory(_start, _end - _start);
                LastLineTerminated = false;
                _position += _end - _start;
                _start = _end;
                return true;
            }
            Fill();
        }
    }

    /// <summary>The next <paramref name="count"/> bytes (fewer only at the end of the stream); valid until the next call.</summary>
    public ReadOnlyMemory<byte> ReadBytes(int count)
    {
        while (_end - _start < count && !_eof)
        {
            if (_start == 0 && _end == _buffer.Length)
                Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, count));
            Fill();
        }
        var n = Math.Min(count, _end - _start);
        var block = _buffer.AsMemory(_start, n);
        _start += n;
        _position += n;
        return block;
    }

    void Fill()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length)
            Array.Resize(ref _buffer, _buffer.Length * 2);
        var n = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (n == 0)
            _eof = true;
        _end += n;
    }
}
