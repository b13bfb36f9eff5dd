// Streams text while ids arrive one at a time, never emitting half a UTF-8 character or text a later id would change.
namespace Pharos.Models.Tokenization;

/// <summary>
/// Decodes a sliding window (as text-generation-inference does): the text of ids[prefix..read] is already out; the
/// text of ids[prefix..] minus it is new. The window keeps a little left context so decoders that treat the first token
/// specially (Metaspace, Strip) behave as in a full decode. While the new text ends in U+FFFD the bytes of a character
/// are still arriving, so nothing is emitted until the next id. <see cref="Flush"/> returns what is held back at the end.
/// The concatenation of every Push and the final Flush equals Decode of all ids.
/// </summary>
public sealed class IncrementalDecoder
{
    readonly HfTokenizer _tokenizer;
    readonly bool _skipSpecialTokens;
    readonly List<int> _ids = new();
    int _prefixOffset;
    int _readOffset;

    internal IncrementalDecoder(HfTokenizer tokenizer, bool skipSpecialTokens)
    {
        _tokenizer = tokenizer;
        _skipSpecialTokens = skipSpecialTokens;
    }

    /// <summary>All ids pushed so far.</summary>
    public IReadOnlyList<int> Ids => _ids;

    /// <summary>Adds one id and returns the text it completes (often empty while a character's bytes are still arriving).</summary>
    public string Push(int id)
    {
        _ids.Add(id);
        var window = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_ids);
        var prefixText = _tokenizer.Decode(window[_prefixOffset.._readOffset].ToArray(), _skipSpecialTokens);
        var newText = _tokenizer.Decode(window[_prefixOffset..].ToArray(), _skipSpecialTokens);
        if (newText.Length > prefixText.Length && !newText.EndsWith('\uFFFD') && newText.StartsWith(prefixText, StringComparison.Ordinal))
        {
            _prefixOffset = _readOffset;
            _readOffset = _ids.Count;
            return newText[prefixText.Length..];
        }
        return "";
    }

    /// <summary>Text held back because it ended in U+FFFD (invalid bytes at the end of the stream); call once the stream ends.</summary>
    public string Flush()
    {
        var prefixText = _tokenizer.Decode(_ids.Skip(_prefixOffset).Take(_readOffset - _prefixOffset), _skipSpecialTokens);
        var newText = _tokenizer.Decode(_ids.Skip(_prefixOffset), _skipSpecialTokens);
        _prefixOffset = _readOffset = _ids.Count;
        return newText.Length > prefixText.Length ? newText[prefixText.Length..] : "";
    }
}
