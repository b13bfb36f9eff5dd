// Makes sure every input of a stage has a current token shard (running the tokenize plan on local workers for what is
// missing), then opens them per source. Bad records found while tokenizing are replayed into the stage's list, so the
// stage counts and lists them (and strict mode stops) exactly as if it had read the files itself.
using System.Text.Json.Nodes;
using Pharos.Curation.Pipeline;
using Pharos.Models.Errors;

namespace Pharos.Training.Datasets.Shards;

public static class TokenShards
{
    public static bool IsShardFolder(string path) => Directory.Exists(path) && File.Exists(Path.Combine(path, TokenizePlan.SpecFile));

    public static List<ShardSource> Prepare(IReadOnlyList<DataSource> sources, ITextTokenizer tokenizer, string folder, int workers,
        BadRecords bad, Action<string>? progress)
    {
        workers = workers > 0 ? workers : Environment.ProcessorCount;
        // Inputs named directly are tokenized into the stage's folder; a folder of shards made by `pharos data tokenize`
        // is used where it is (and finished there if a task is missing).
        var perSource = new List<List<(TokenizePlan Plan, TokenizeInput Input)>>();
        var own = new List<TokenizeInput>();
        var plans = new Dictionary<string, TokenizePlan>(StringComparer.Ordinal);
        foreach (var source in sources)
        {
            var list = new List<(TokenizePlan, TokenizeInput)>();
            foreach (var path in source.Paths)
            {
                if (IsShardFolder(path))
                {
                    var full = Path.GetFullPath(path);
                    if (!plans.TryGetValue(full, out var existing)) plans[full] = existing = TokenizePlan.Create(full, tokenizer, []);
                    list.AddRange(existing.Inputs.Select(i => (existing, i)));
                }
                else
                    foreach (var file in TokenizeInput.Expand(path))
                    {
                        var input = new TokenizeInput(file, source.Rehydration is null ? null : Path.GetFullPath(source.Rehydration));
                        own.Add(input);
                        list.Add((null!, input));
                    }
            }
            perSource.Add(list);
        }
        var mine = own.Count > 0 ? TokenizePlan.Create(folder, tokenizer, own) : null;
        var log = new StringWriter();
        foreach (var plan in mine is null ? plans.Values : plans.Values.Append(mine))
        {
            if (plan.AllDone()) continue; // a rerun or a resume: nothing is read or written
            progress?.Invoke($"tokenizing {plan.Inputs.Count(i => plan.Marker(i) is null)} of {plan.Inputs.Count} files into {plan.Folder}");
            new LocalExecutor(workers, log: log).Run(plan);
        }
        var opened = new List<ShardSource>();
        try
        {
            for (int s = 0; s < sources.Count; s++)
            {
                var shards = new List<(TokenShard, string)>();
                foreach (var (plan, input) in perSource[s].Select(p => (p.Plan ?? mine!, p.Input)))
                {
                    var marker = plan.Marker(input) ?? throw new PharosException($"{input.Path}: tokenizing did not complete");
                    ReplayBadRecords(plan.BadRecordsPath(input), marker, bad);
                    var shard = TokenShard.Open(plan.ShardPath(input));
                    shards.Add((shard, input.Path));
                }
                opened.Add(new ShardSource(sources[s].Name, sources[s].Share, shards));
            }
        }
        catch
        {
            foreach (var shard in opened.SelectMany(o => o.Shards)) shard.Shard.Dispose();
            throw;
        }
        return opened;
    }

    static void ReplayBadRecords(string path, TokenizeMarker marker, BadRecords bad)
    {
        if (marker.BadRecords.Values.Sum() == 0) return;
        foreach (var line in File.ReadLines(path))
        {
            var entry = JsonNode.Parse(line)!;
            bad.Add((string)entry["file"]!, (long)entry["line"]!, (string)entry["reason"]!, (string)entry["detail"]!);
        }
    }
}
