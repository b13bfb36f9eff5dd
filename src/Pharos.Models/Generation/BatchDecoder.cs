// Continuous batched decoding: sequences (rows) are admitted at any time, their prompts prefilled in fixed-size chunks
// (so a long prompt never stalls the rows already decoding for more than one chunk), and every decoding row gets one
// token per step whatever its own options; a finished row leaves at once and its slot takes the next sequence.
// A row's tokens depend only on its own prompt, options and seed: its cache is its own, the chunking is fixed, and a
// seeded row draws from its own generator, so a request gives the same tokens alone or batched with any others.
using Pharos.Models.Transformer;
using static TorchSharp.torch;

namespace Pharos.Models.Generation;

public sealed class BatchDecoder : IDisposable
{
    /// <summary>Prompt tokens per prefill pass of one row.</summary>
    public const int DefaultChunk = 256;

    readonly CausalLM model;
    readonly RowKvCache cache;
    readonly DecodeRow?[] slots;
    readonly int chunk;
    readonly long[] hostIds, hostPositions;
    readonly Tensor ids, positions; // [slots, 1] int64 on the model's device, rewritten every step
    long admissions;

    public record struct RowToken(int Slot, int Token, string? FinishReason);

    /// <param name="capacity">Tokens per row to allocate up front (the cache grows when a row needs more).</param>
    public BatchDecoder(CausalLM model, int maxRows, long capacity = 256, int chunk = DefaultChunk)
    {
        if (maxRows < 1) throw new ArgumentOutOfRangeException(nameof(maxRows));
        this.model = model;
        this.chunk = Math.Max(1, chunk);
        slots = new DecodeRow?[maxRows];
        cache = model.NewRowCache(maxRows, capacity);
        hostIds = new long[maxRows];
        hostPositions = new long[maxRows];
        ids = zeros([maxRows, 1], int64, model.Device).DetachFromDisposeScope();
        positions = zeros([maxRows, 1], int64, model.Device).DetachFromDisposeScope();
    }

    public int MaxRows => slots.Length;
    public int FreeSlots => slots.Count(s => s is null);
    public bool Prefilling => slots.Any(s => s is { Prefilling: true });
    public bool Decoding => slots.Any(s => s is { Decoding: true });

    /// <summary>Prefill passes that packed several prompts (for monitoring and tests).</summary>
    public int PackedPasses { get; private set; }

    /// <summary>Takes the lowest free slot for a sequence; its prompt is prefilled by later <see cref="Prefill"/> calls.
    /// <paramref name="stream"/> tells copies of one seeded request apart (copy 0 draws from the seed itself).</summary>
    public int Admit(IReadOnlyList<int> prompt, GenerationOptions options, int stream = 0)
    {
        options.Validate();
        if (prompt.Count == 0) throw new ArgumentException("every prompt needs at least one token (e.g. BOS)");
        if (prompt.Count + options.MaxNewTokens > model.Config.MaxPositionEmbeddings)
            throw new ArgumentException($"prompt ({prompt.Count} tokens) + max new tokens ({options.MaxNewTokens}) exceed the context length {model.Config.MaxPositionEmbeddings}");
        int slot = Array.IndexOf(slots, null);
        if (slot < 0) throw new InvalidOperationException("no free slot: release a finished row first");
        var rng = options.Seed is long seed && !options.Greedy ? new Generator(RowSeed(seed, stream), model.Device) : null;
        cache.Reset(slot);
        var row = new DecodeRow(slot, prompt, options, rng, admissions++);
        if (options.MaxNewTokens == 0) row.FinishReason = "length";
        slots[slot] = row;
        return slot;
    }

    /// <summary>Copy 0 draws from the seed as given (as a lone request with that seed does); copy c from a SplitMix64 mix
    /// of (seed, c), so the copies of one request differ from each other and from requests seeded seed + c.</summary>
    static ulong RowSeed(long seed, int stream)
    {
        if (stream == 0) return (ulong)seed;
        ulong z = (ulong)seed + 0x9E3779B97F4A7C15UL * (ulong)stream;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public IReadOnlyList<int> Generated(int slot) => Row(slot).Generated;
    public string? FinishReason(int slot) => Row(slot).FinishReason;
    public bool IsFinished(int slot) => Row(slot).FinishReason is not null;

    /// <summary>Ends a row early (a stop string, a client that went away); it decodes no further.</summary>
    public void Finish(int slot, string reason)
    {
        var row = Row(slot);
        row.FinishReason ??= reason;
        row.Pending = null;
    }

    /// <summary>Frees a slot for the next sequence.</summary>
    public void Release(int slot)
    {
        Row(slot).Dispose();
        slots[slot] = null;
        cache.Reset(slot);
    }

    DecodeRow Row(int slot) => slots[slot] ?? throw new InvalidOperationException($"slot {slot} is free");

    /// <summary>Prefills prompt chunks, oldest row first, until about <paramref name="tokenBudget"/> tokens were run
    /// (at least one chunk). A row whose prompt is then complete gets its first token, returned here. Fresh prompts
    /// waiting one after another are prefilled together in one pass where that is exact (see <see cref="PackedPrefill"/>).</summary>
    public IReadOnlyList<RowToken> Prefill(int tokenBudget = int.MaxValue)
    {
        using var noGrad = no_grad();
        var produced = new List<RowToken>();
        int spent = 0;
        while (spent == 0 || spent < tokenBudget)
        {
            if (Packable(tokenBudget - spent) is { Count: >= 2 } pack && PackedPrefill.Usable(model))
            {
                using var packScope = NewDisposeScope();
                var packedLogits = model.PrefillPacked(pack.Select(r => (r.Slot, r.Prompt.ToArray())).ToArray(), cache);
                PackedPasses++;
                var tokens = RowSampling.Choose(packedLogits, pack, Enumerable.Range(0, pack.Count).ToArray());
                for (int i = 0; i < pack.Count; i++)
                {
                    pack[i].Prefilled = pack[i].Prompt.Count;
                    spent += pack[i].Prompt.Count;
                    produced.Add(Accept(pack[i], tokens[i]));
                }
                continue;
            }
            var row = slots.Where(s => s is { Prefilling: true }).MinBy(s => s!.Admitted);
            if (row is null) break;
            int take = Math.Min(chunk, row.Prompt.Count - row.Prefilled);
            bool last = row.Prefilled + take == row.Prompt.Count;
            using var scope = NewDisposeScope();
            var chunkIds = tensor(row.Prompt.Skip(row.Prefilled).Take(take).Select(x => (long)x).ToArray(), int64, model.Device).unsqueeze(0);
            var logits = model.Prefill(chunkIds, cache, row.Slot, wantLogits: last);
            row.Prefilled += take;
            spent += take;
            if (last) produced.Add(Accept(row, RowSampling.Choose(logits!, [row], [0])[0]));
        }
        return produced;
    }

    /// <summary>The oldest prefilling rows while each is a fresh prompt that fits one chunk and is long enough to be packed,
    /// up to <paramref name="budget"/> tokens in all (and the packed pass's limits).</summary>
    List<DecodeRow> Packable(int budget)
    {
        var pack = new List<DecodeRow>();
        int total = 0, limit = Math.Min(budget, PackedPrefill.MaxTokens);
        foreach (var row in slots.Where(s => s is { Prefilling: true }).Select(s => s!).OrderBy(s => s.Admitted))
        {
            int length = row.Prompt.Count;
            if (row.Prefilled != 0 || length < PackedPrefill.MinPromptTokens || length > chunk || total + length > limit
                || pack.Count == PackedPrefill.MaxPrompts)
                break;
            pack.Add(row);
            total += length;
        }
        return pack;
    }

    /// <summary>One token for every decoding row (rows still prefilling or finished wait in their slots).</summary>
    public IReadOnlyList<RowToken> Step()
    {
        using var noGrad = no_grad();
        int extent = Array.FindLastIndex(slots, s => s is { Decoding: true }) + 1;
        if (extent == 0) return [];
        long keyLength = 0;
        var slotsDecoding = new long[extent];
        for (int i = 0; i < extent; i++)
        {
            var row = slots[i];
            // Rows in range that are not decoding write a stale slot: at their length when a prefill will overwrite it, else slot 0.
            bool decoding = row is { Decoding: true };
            hostIds[i] = decoding ? row!.Pending!.Value : 0;
            hostPositions[i] = decoding || row is { Prefilling: true } ? cache.Length(i) : 0;
            slotsDecoding[i] = decoding ? hostPositions[i] : -1;
            keyLength = Math.Max(keyLength, hostPositions[i] + 1);
        }
        cache.EnsureCapacity(keyLength);
        using var scope = NewDisposeScope();
        var stepIds = Upload(ids, hostIds, extent);
        var stepPositions = Upload(positions, hostPositions, extent);
        var logits = model.DecodeStep(stepIds, stepPositions, keyLength, slotsDecoding, cache);

        var decodingRows = slots.Take(extent).Where(s => s is { Decoding: true }).Select(s => s!).ToArray();
        foreach (var row in decodingRows) cache.Advance(row.Slot, 1);
        var chosen = RowSampling.Choose(logits, decodingRows, decodingRows.Select(r => r.Slot).ToArray());
        return decodingRows.Select((row, i) => Accept(row, chosen[i])).ToArray();
    }

    /// <summary>Writes the first <paramref name="count"/> host values into the step tensor and returns that part of it.</summary>
    Tensor Upload(Tensor target, long[] host, int count)
    {
        if (target.device_type == TorchSharp.DeviceType.CPU)
        {
            using var access = target.data<long>();
            access.CopyFrom(host.AsSpan(0, count), 0, 0);
        }
        else
        {
            using var staged = tensor(host.AsSpan(0, count).ToArray(), int64).unsqueeze(1);
            target.narrow(0, 0, count).copy_(staged);
        }
        return target.narrow(0, 0, count);
    }

    /// <summary>Records a chosen token: a stop token ends the row ("stop", not kept), reaching max new tokens ends it ("length").</summary>
    static RowToken Accept(DecodeRow row, int token)
    {
        if (row.Options.StopTokenIds.Contains(token))
        {
            row.FinishReason = "stop";
            row.Pending = null;
            return new RowToken(row.Slot, -1, "stop");
        }
        row.Generated.Add(token);
        row.Pending = token;
        if (row.Generated.Count >= row.Options.MaxNewTokens)
        {
            row.FinishReason = "length";
            row.Pending = null;
        }
        return new RowToken(row.Slot, token, row.FinishReason);
    }

    public void Dispose()
    {
        foreach (var row in slots) row?.Dispose();
        cache.Dispose();
        ids.Dispose();
        positions.Dispose();
    }
}
