// XLM-R's SentencePiece Unigram tokenizer with Hugging Face's ids (fairseq layout: <s>=0, <pad>=1, </s>=2, <unk>=3),
// from the model's tokenizer.json or its sentencepiece.bpe.model, on Microsoft.ML.Tokenizers.
using Microsoft.ML.Tokenizers;
using Pharos.Models.Errors;

namespace Pharos.Eval.Comet.XlmRoberta;

public sealed class XlmRobertaTokenizer
{
    public const int ClsId = 0, PadId = 1, SepId = 2, UnkId = 3;
    public const string TokenizerJson = "tokenizer.json", SentencePieceModel = "sentencepiece.bpe.model";

    readonly SentencePieceTokenizer _tokenizer;
    readonly bool _fairseqOffset;

    XlmRobertaTokenizer(SentencePieceTokenizer tokenizer, bool fairseqOffset, string source)
    {
        _tokenizer = tokenizer;
        _fairseqOffset = fairseqOffset;
        Source = source;
    }

    /// <summary>The file the vocabulary came from.</summary>
    public string Source { get; }

    /// <summary>True when <paramref name="folder"/> holds a file this class can read.</summary>
    public static bool IsIn(string folder) =>
        File.Exists(Path.Combine(folder, TokenizerJson)) || File.Exists(Path.Combine(folder, SentencePieceModel));

    /// <summary>Reads tokenizer.json (preferred: it is what transformers' fast tokenizer runs) or sentencepiece.bpe.model.</summary>
    public static XlmRobertaTokenizer Load(string folder)
    {
        var json = Path.Combine(folder, TokenizerJson);
        if (File.Exists(json))
        {
            SentencePieceTokenizer tokenizer;
            try
            {
                using var stream = File.OpenRead(json);
                tokenizer = SentencePieceTokenizer.CreateFromTokenizerJson(stream, false, false);
            }
            catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException or NotSupportedException or System.Text.Json.JsonException)
            {
                throw new InvalidModelException($"{json}: not a SentencePiece Unigram tokenizer.json that XLM-R uses: {e.Message}", e);
            }
            CheckSpecial(tokenizer, "<s>", ClsId, json);
            CheckSpecial(tokenizer, "<pad>", PadId, json);
            CheckSpecial(tokenizer, "</s>", SepId, json);
            return new XlmRobertaTokenizer(tokenizer, fairseqOffset: false, json);
        }
        var model = Path.Combine(folder, SentencePieceModel);
        if (File.Exists(model))
        {
            try
            {
                using var stream = File.OpenRead(model);
                return new XlmRobertaTokenizer(SentencePieceTokenizer.Create(stream, false, false), fairseqOffset: true, model);
            }
            catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException or NotSupportedException or Google.Protobuf.InvalidProtocolBufferException)
            {
                throw new InvalidModelException($"{model}: not a SentencePiece model: {e.Message}", e);
            }
        }
        throw new InvalidModelException($"{folder}: neither {TokenizerJson} nor {SentencePieceModel} is there (XLM-R's tokenizer)");
    }

    static void CheckSpecial(SentencePieceTokenizer tokenizer, string token, int expected, string path)
    {
        if (!tokenizer.Vocabulary.TryGetValue(token, out int id) || id != expected)
            throw new InvalidModelException($"{path}: '{token}' must have id {expected} as in XLM-R's vocabulary");
    }

    /// <summary>
    /// "&lt;s&gt; pieces &lt;/s&gt;" with at most <paramref name="maxLength"/> ids in all (transformers' truncation=True:
    /// the pieces are cut, the special ids kept).
    /// </summary>
    public int[] Encode(string text, int maxLength)
    {
        var pieces = _tokenizer.EncodeToIds(text, considerPreTokenization: true, considerNormalization: true);
        int keep = Math.Min(pieces.Count, Math.Max(0, maxLength - 2));
        var ids = new int[keep + 2];
        ids[0] = ClsId;
        for (int i = 0; i < keep; i++)
            ids[i + 1] = _fairseqOffset ? FairseqId(pieces[i]) : pieces[i];
        ids[^1] = SepId;
        return ids;
    }

    /// <summary>sentencepiece's own ids are <unk>=0, <s>=1, </s>=2, pieces from 3; fairseq put <pad> at 1 and moved <unk> to 3.</summary>
    static int FairseqId(int sentencePieceId) => sentencePieceId switch
    {
        0 => UnkId,
        1 => ClsId,
        2 => SepId,
        _ => sentencePieceId + 1,
    };
}
