// What the dataset code needs from a tokenizer; HF tokenizer.json files and Pharos's own BPE both plug in behind it.
namespace Pharos.Training.Datasets;

public sealed record ChatTurn(string Role, string Content);

public interface ITextTokenizer
{
    /// <summary>Ids of <paramref name="text"/>, recognising special tokens written in it, adding none.</summary>
    int[] Encode(string text);
    string Decode(IReadOnlyList<int> ids);
    int VocabSize { get; }
    int? BosId { get; }
    int EosId { get; }
    /// <summary>Id used for padding: the pad token, else EOS (padding never carries loss or attention).</summary>
    int PadId { get; }
    /// <summary>The conversation rendered with the model's chat template, as text.</summary>
    string RenderChat(IReadOnlyList<ChatTurn> messages, bool addGenerationPrompt);
}
