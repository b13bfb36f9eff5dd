// The tokenize step as a task plan the curation executors run (local workers or Slurm job arrays): one task per input
// file, each writing one token shard, its bad-record list and, last, its completion marker; a rerun does only what is
// missing or whose input changed. The folder's tokenize.json pins the tokenizer: shards of another tokenizer are refused.
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pharos.Curation.Pipeline;
using Pharos.Curation.Rehydration;
using Pharos.IO;
using Pharos.Models.Errors;
using Pharos.Training.Tokenizer;

namespace Pharos.Training.Datasets.Shards;

public sealed class TokenizePlan : ITaskPlan, ITaskStage
{
    public const string SpecFile = "tokenize.json";
    public const string ManifestFile = "manifest.json";
    const string Format = "pharos-token-shards/1";

    readonly ITextTokenizer tokenizer;

    TokenizePlan(string folder, ITextTokenizer tokenizer, TokenizerIdentity identity, string? tokenizerFolder, List<TokenizeInput> inputs)
    {
        Folder = folder;
        this.tokenizer = tokenizer;
        Identity = identity;
        TokenizerFolder = tokenizerFolder;
        Inputs = inputs;
    }

    public string Folder { get; }
    public TokenizerIdentity Identity { get; }
    public string? TokenizerFolder { get; }
    /// <summary>Every input this folder holds shards for, in the order they were first added (task t is input t).</summary>
    public IReadOnlyList<TokenizeInput> Inputs { get; }
    public string SpecPath => Path.Combine(Folder, SpecFile);
    /// <summary>Batch settings when submitted to Slurm (partition, time limit, …).</summary>
    public SlurmSection Slurm { get; set; } = new();

    /// <summary>
    /// The plan for <paramref name="inputs"/> in <paramref name="folder"/>: a folder made with another tokenizer or chat
    /// template is refused; inputs it already lists keep their task numbers and new ones are appended.
    /// </summary>
    public static TokenizePlan Create(string folder, ITextTokenizer tokenizer, IEnumerable<TokenizeInput> inputs)
    {
        folder = Path.GetFullPath(folder);
        var identity = TokenizerIdentity.Of(tokenizer);
        var tokenizerFolder = (tokenizer as HfTextTokenizer)?.Folder;
        var all = new List<TokenizeInput>();
        var spec = Path.Combine(folder, SpecFile);
        if (File.Exists(spec))
        {
            var (saved, savedInputs, _) = ReadSpec(spec);
            Check(folder, saved, identity);
            all.AddRange(savedInputs);
        }
        bool added = false;
        foreach (var input in inputs)
        {
            if (all.Contains(input)) continue;
            all.Add(input);
            added = true;
        }
        var plan = new TokenizePlan(folder, tokenizer, identity, tokenizerFolder, all);
        if (added || !File.Exists(spec)) plan.WriteSpec();
        return plan;
    }

    /// <summary>The plan a batch job runs: reloads the tokenizer from the folder the spec names.</summary>
    public static TokenizePlan Load(string specPath)
    {
        var (identity, inputs, tokenizerFolder) = ReadSpec(specPath);
        if (tokenizerFolder is null) throw new PharosException($"{specPath}: the tokenizer was not loaded from a folder; run this plan in the process that made it");
        var tokenizer = TokenizerLoader.Load(tokenizerFolder);
        var folder = Path.GetDirectoryName(Path.GetFullPath(specPath))!;
        Check(folder, identity, TokenizerIdentity.Of(tokenizer));
        return new TokenizePlan(folder, tokenizer, identity, tokenizerFolder, inputs);
    }

    static void Check(string folder, TokenizerIdentity saved, TokenizerIdentity current)
    {
        if (saved.TokenizerHash != current.TokenizerHash)
            throw new PharosException($"{folder}: token shards were made with another tokenizer (hash {saved.TokenizerHash[..12]}, this one is {current.TokenizerHash[..12]}); use another shards folder or delete this one");
        if (saved.ChatTemplateHash != current.ChatTemplateHash)
            throw new PharosException($"{folder}: token shards were made with another chat template (hash {saved.ChatTemplateHash[..12]}, this one is {current.ChatTemplateHash[..12]}); use another shards folder or delete this one");
    }

    static (TokenizerIdentity Identity, List<TokenizeInput> Inputs, string? TokenizerFolder) ReadSpec(string path)
    {
        var json = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new PharosException($"{path}: not a JSON object");
        if ((string?)json["format"] != Format) throw new PharosException($"{path}: format {(string?)json["format"]} is not {Format}");
        var identity = new TokenizerIdentity((string)json["tokenizer_hash"]!, (string)json["chat_template_hash"]!, (int)json["vocab_size"]!);
        var inputs = json["inputs"]!.AsArray().Select(i => new TokenizeInput((string)i!["path"]!, (string?)i["rehydration"])).ToList();
        return (identity, inputs, (string?)json["tokenizer"]);
    }

    void WriteSpec()
    {
        var json = new JsonObject
        {
            ["format"] = Format,
            ["tokenizer"] = TokenizerFolder,
            ["tokenizer_hash"] = Identity.TokenizerHash,
            ["chat_template_hash"] = Identity.ChatTemplateHash,
            ["vocab_size"] = Identity.VocabSize,
            ["inputs"] = new JsonArray(Inputs.Select(i => (JsonNode)new JsonObject { ["path"] = i.Path, ["rehydration"] = i.Rehydration }).ToArray()),
        };
        AtomicFile.WriteAllText(SpecPath, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

    public string ShardPath(TokenizeInput input) => Path.Combine(Folder, input.Name + ".tok");
    public string MarkerPath(TokenizeInput input) => Path.Combine(Folder, "_pharos", "completions", input.Name + ".json");
    public string BadRecordsPath(TokenizeInput input) => Path.Combine(Folder, "_pharos", "bad_records", input.Name + ".jsonl");

    /// <summary>The marker of a finished input, or null when the input has not been tokenized (or changed since).</summary>
    public TokenizeMarker? Marker(TokenizeInput input) =>
        TokenizeMarker.Read(MarkerPath(input)) is { } m && m.Describes(input) && m.TokenizerHash == Identity.TokenizerHash
            && m.ChatTemplateHash == Identity.ChatTemplateHash && File.Exists(ShardPath(input)) ? m : null;

    // One stage, "tokenize", whose tasks are the inputs.
    public IReadOnlyList<ITaskStage> TaskStages => [this];
    public string OutputDir => Folder;
    public string Id => "tokenize";
    public int TaskCount => Inputs.Count;
    public bool IsDone(int task) => Marker(Inputs[task]) is not null;
    public bool AllDone() => Enumerable.Range(0, TaskCount).All(IsDone);

    public bool RunTask(ITaskStage stage, int task)
    {
        var input = Inputs[task];
        if (Marker(input) is not null) return false;
        var clock = Stopwatch.StartNew();
        var info = new FileInfo(input.Path);
        var weights = input.Rehydration is null ? null : ReadWeights(input.Rehydration);
        var formatter = new RecordFormatter(tokenizer);
        using var bad = new BadRecords(BadRecordsPath(input));
        using (var writer = new TokenShardWriter(ShardPath(input), tokenizer.VocabSize))
        {
            foreach (var record in RecordReader.Read(input.Path, bad))
            {
                if (formatter.Format(record, bad) is not var (example, isText)) continue;
                writer.Add(example, isText, weights is null ? 1 : Rehydrator.Lookup(weights, ClusterSize(record.Json)));
            }
            writer.Commit();
            var marker = new TokenizeMarker
            {
                Input = input.Path, Rehydration = input.Rehydration, InputBytes = info.Length, InputModified = info.LastWriteTimeUtc,
                TokenizerHash = Identity.TokenizerHash, ChatTemplateHash = Identity.ChatTemplateHash, Shard = Path.GetFileName(ShardPath(input)),
                Tokens = writer.Tokens, Documents = writer.Documents, BadRecords = new(bad.Counts), Seconds = clock.Elapsed.TotalSeconds,
            };
            AtomicFile.WriteAllText(MarkerPath(input), marker.ToJson());
        }
        return true;
    }

    public void StageComplete(ITaskStage stage, TextWriter? log)
    {
        var markers = Inputs.Select(i => Marker(i)!).ToList();
        var manifest = new JsonObject
        {
            ["format"] = Format,
            ["tokenizer_hash"] = Identity.TokenizerHash,
            ["chat_template_hash"] = Identity.ChatTemplateHash,
            ["vocab_size"] = Identity.VocabSize,
            ["token_bytes"] = TokenShard.TokenBytesFor(Identity.VocabSize),
            ["tokens"] = markers.Sum(m => m.Tokens),
            ["documents"] = markers.Sum(m => m.Documents),
            ["sources"] = new JsonArray(markers.Select(m => (JsonNode)new JsonObject
            {
                ["input"] = m.Input, ["rehydration"] = m.Rehydration, ["shard"] = m.Shard, ["tokens"] = m.Tokens, ["documents"] = m.Documents,
                ["bad_records"] = JsonSerializer.SerializeToNode(m.BadRecords),
            }).ToArray()),
        };
        AtomicFile.WriteAllText(Path.Combine(Folder, ManifestFile), manifest.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        log?.WriteLine($"tokenize: {markers.Count} files, {markers.Sum(m => m.Tokens):N0} tokens in {markers.Sum(m => m.Documents):N0} documents ({Folder})");
    }

    public string TaskCommand(ITaskStage stage) => $"data tokenize run-task --plan {ShellQuote.Quote(SpecPath)}";

    /// <summary>FineWeb2 rehydration weights as `pharos curate rehydrate` writes them: {"cluster size": copies}.</summary>
    static SortedDictionary<long, int> ReadWeights(string path)
    {
        var json = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new PharosException($"{path}: rehydration weights must be a JSON object");
        var weights = new SortedDictionary<long, int>();
        foreach (var (key, value) in json)
        {
            if (!long.TryParse(key, out var size) || value is not JsonValue v || !v.TryGetValue<int>(out var copies) || copies < 1)
                throw new PharosException($"{path}: entry \"{key}\": expected \"cluster size\": copies (a positive integer)");
            weights[size] = copies;
        }
        return weights;
    }

    /// <summary>The MinHash cluster size curation wrote (datatrove's `metadata.minhash_cluster_size`, or a top-level column); 1 when absent.</summary>
    static long ClusterSize(JsonObject record)
    {
        var node = (record["metadata"] as JsonObject)?[Curation.MetadataKeys.ClusterSize] ?? record[Curation.MetadataKeys.ClusterSize];
        if (node is not JsonValue v) return 1;
        if (v.TryGetValue<long>(out var n)) return n;
        if (v.TryGetValue<double>(out var d)) return (long)d;
        return v.TryGetValue<string>(out var text) && long.TryParse(text, out n) ? n : 1;
    }
}
