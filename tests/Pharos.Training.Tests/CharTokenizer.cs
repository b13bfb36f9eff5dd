// A transparent test tokenizer: ChatML specials are ids 0–2, every other char is one id, so masks can be read by eye.
using System.Text;
using Pharos.Training.Datasets;

namespace Pharos.Training.Tests;

internal sealed class CharTokenizer : ITextTokenizer
{
    static readonly string[] Specials = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"];

    public int VocabSize => 3 + 128;
    public int? BosId => null;
    public int EosId => 0;
    public int PadId => 0;

    public int[] Encode(string text)
    {
        var ids = new List<int>();
        for (int i = 0; i < text.Length;)
        {
            int s = Array.FindIndex(Specials, sp => string.CompareOrdinal(text, i, sp, 0, sp.Length) == 0);
            if (s >= 0) { ids.Add(s); i += Specials[s].Length; }
            else { ids.Add(3 + (text[i] % 128)); i++; }
        }
        return [.. ids];
    }

    public string Decode(IReadOnlyList<int> ids)
    {
        var sb = new StringBuilder();
        foreach (var id in ids) sb.Append(id < 3 ? Specials[id] : ((char)(id - 3)).ToString());
        return sb.ToString();
    }

    public string RenderChat(IReadOnlyList<ChatTurn> messages, bool addGenerationPrompt)
    {
        var sb = new StringBuilder();
        foreach (var m in messages) sb.Append($"<|im_start|>{m.Role}\n{m.Content}<|im_end|>\n");
        if (addGenerationPrompt) sb.Append("<|im_start|>assistant\n");
        return sb.ToString();
    }
}
