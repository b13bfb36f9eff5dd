// Any Hugging Face tokenizer folder (via Pharos.Models' HfTokenizer: tokenizer.json + the folder's Jinja chat template)
// seen through the small interface the dataset code needs.
using Pharos.Models.Tokenization;
using Pharos.Training.Datasets;

namespace Pharos.Training.Tokenizer;

public sealed class HfTextTokenizer : ITextTokenizer
{
    readonly HfTokenizer inner;

    public HfTextTokenizer(HfTokenizer inner)
    {
        this.inner = inner;
        // Documents in a CPT stream end with the base model's end-of-text token when it has one (<|endoftext|>,
        // <|end_of_text|>), not with a chat turn terminator such as <|im_end|>; otherwise the tokenizer's eos.
        EosId = inner.TokenToId("<|endoftext|>") ?? inner.TokenToId("<|end_of_text|>") ?? inner.EosId
            ?? throw new Pharos.Models.Errors.PharosException("the tokenizer has no end-of-sequence token; CPT documents need one to be separated");
        PadId = inner.PadId ?? EosId;
    }

    public HfTokenizer Inner => inner;
    /// <summary>The folder it was loaded from (token shards record its tokenizer.json's hash), when known.</summary>
    public string? Folder { get; init; }
    public int VocabSize => inner.VocabSize;
    public int? BosId => inner.BosId;
    public int EosId { get; }
    public int PadId { get; }
    /// <summary>Ids that end a generated answer (chat turn terminators and eos).</summary>
    public IReadOnlyList<int> StopIds => inner.EosIds.Append(EosId).Distinct().ToList();

    public int[] Encode(string text) => [.. inner.Encode(text, addSpecialTokens: false)];

    public string Decode(IReadOnlyList<int> ids) => inner.Decode(ids, skipSpecialTokens: false);

    public string RenderChat(IReadOnlyList<ChatTurn> messages, bool addGenerationPrompt) =>
        inner.ApplyChatTemplate(messages.Select(m => new ChatMessage(m.Role, m.Content)).ToList(), addGenerationPrompt);
}
