// A loaded model, its tokenizer and the name clients use for it; owns the generation queue.
using Pharos.Models.Generation;
using Pharos.Models.Loading;
using Pharos.Models.Tokenization;
using Pharos.Models.Transformer;
using static TorchSharp.torch;

namespace Pharos.Serve;

public sealed class ServedModel : IDisposable
{
    public ServedModel(string folder, string? name = null, Device? device = null, ScalarType? dtype = null, int maxBatch = 8,
        int prefillChunk = BatchDecoder.DefaultChunk)
    {
        Model = ModelLoader.Load(folder, device, dtype);
        Tokenizer = HfTokenizer.Load(folder);
        Name = name ?? Path.GetFileName(Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar));
        Chat = new ChatGenerator(Model, Tokenizer);
        Queue = new GenerationQueue(Model, maxBatch, prefillChunk);
    }

    public string Name { get; }
    public CausalLM Model { get; }
    public HfTokenizer Tokenizer { get; }
    public GenerationQueue Queue { get; }
    public int ContextLength => Model.Config.MaxPositionEmbeddings;

    public ChatGenerator Chat { get; }

    /// <summary>Stop ids for chat: the tokenizer's and the config's end-of-sequence ids.</summary>
    public IReadOnlyList<int> StopIds => Chat.StopIds;

    public void Dispose()
    {
        Queue.Dispose();
        Model.Dispose();
    }
}
