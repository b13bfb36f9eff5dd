// Text in, text out for chat models: conversations through the chat template, batched generation, streamed decoding.
using Pharos.Models.Tokenization;
using Pharos.Models.Transformer;

namespace Pharos.Models.Generation;

public sealed class ChatGenerator(CausalLM model, HfTokenizer tokenizer)
{
    public CausalLM Model => model;
    public HfTokenizer Tokenizer => tokenizer;

    /// <summary>Generation ends at the tokenizer's or the config's end-of-sequence ids (e.g. Gemma's &lt;end_of_turn&gt;).</summary>
    public IReadOnlyList<int> StopIds { get; } = tokenizer.EosIds.Concat(model.Config.EosTokenIds).Distinct().ToArray();

    /// <summary>Prompt ids as transformers' apply_chat_template(tokenize=True) gives them: the template adds any BOS itself.</summary>
    public IReadOnlyList<int> Encode(IReadOnlyList<ChatMessage> conversation) =>
        tokenizer.Encode(tokenizer.ApplyChatTemplate(conversation, addGenerationPrompt: true), addSpecialTokens: false);

    /// <summary>Answers every conversation in one batch; <paramref name="onText"/> receives (row, text) as it becomes final.</summary>
    public IReadOnlyList<string> Complete(IReadOnlyList<IReadOnlyList<ChatMessage>> conversations, GenerationOptions options,
        Action<int, string>? onText = null, CancellationToken cancel = default)
    {
        var prompts = conversations.Select(Encode).ToArray();
        var decoders = prompts.Select(_ => tokenizer.CreateIncrementalDecoder()).ToArray();
        var texts = prompts.Select(_ => new System.Text.StringBuilder()).ToArray();
        void Emit(int row, string text)
        {
            if (text.Length == 0) return;
            texts[row].Append(text);
            onText?.Invoke(row, text);
        }
        new TokenGenerator(model).Generate(prompts, options with { StopTokenIds = options.StopTokenIds.Count > 0 ? options.StopTokenIds : StopIds },
            onStep: (_, tokens) =>
            {
                for (int i = 0; i < tokens.Length; i++)
                    if (tokens[i] >= 0) Emit(i, decoders[i].Push(tokens[i]));
            }, cancel: cancel);
        for (int i = 0; i < decoders.Length; i++) Emit(i, decoders[i].Flush());
        return texts.Select(t => t.ToString()).ToArray();
    }
}
