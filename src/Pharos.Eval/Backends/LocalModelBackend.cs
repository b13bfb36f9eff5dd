// Evaluates a local Hugging Face model folder with batched generation from the model core.
using Pharos.Models.Generation;
using Pharos.Models.Loading;
using Pharos.Models.Tokenization;
using static TorchSharp.torch;

namespace Pharos.Eval.Backends;

public sealed class LocalModelBackend : IChatBackend
{
    readonly ChatGenerator chat;
    readonly int batchSize;

    public LocalModelBackend(string folder, Device? device = null, ScalarType? dtype = null, int batchSize = 8)
    {
        var model = ModelLoader.Load(folder, device, dtype);
        chat = new ChatGenerator(model, HfTokenizer.Load(folder));
        this.batchSize = Math.Max(1, batchSize);
        Name = "local:" + Path.GetFullPath(folder);
    }

    public string Name { get; }

    public Task<IReadOnlyList<ChatAnswer>> CompleteAsync(IReadOnlyList<IReadOnlyList<ChatMessage>> conversations, EvalGenerationSettings settings,
        IProgress<int>? progress = null, CancellationToken cancel = default)
    {
        var options = new GenerationOptions { MaxNewTokens = settings.MaxTokens, Temperature = settings.Temperature, TopP = settings.TopP, Seed = settings.Seed };
        var answers = new List<ChatAnswer>(conversations.Count);
        // Longest prompts first keeps padding low within a batch; answers are put back in input order.
        var order = Enumerable.Range(0, conversations.Count).OrderByDescending(i => conversations[i].Sum(m => m.Content.Length)).ToArray();
        var byIndex = new ChatAnswer[conversations.Count];
        for (int start = 0; start < order.Length; start += batchSize)
        {
            cancel.ThrowIfCancellationRequested();
            var chunk = order.Skip(start).Take(batchSize).ToArray();
            var texts = chat.Complete(chunk.Select(i => conversations[i]).ToArray(), options, cancel: cancel);
            for (int k = 0; k < chunk.Length; k++) byIndex[chunk[k]] = ChatAnswer.Ok(texts[k]);
            progress?.Report(chunk.Length);
        }
        answers.AddRange(byIndex);
        return Task.FromResult<IReadOnlyList<ChatAnswer>>(answers);
    }

    public void Dispose() => chat.Model.Dispose();
}
