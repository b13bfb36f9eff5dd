// `pharos score`: BLEU, chrF/chrF++ and TER of hypothesis files against references, with sacrebleu's options, output and paired tests.
using System.CommandLine;
using System.Globalization;
using Pharos.Eval.Errors;
using Pharos.Eval.Metrics;
using Pharos.Eval.Metrics.Reporting;
using Pharos.Eval.Metrics.Significance;

namespace Pharos.Cli.Commands;

internal static class ScoreCommand
{
    public static Command Create()
    {
        var refs = new Option<string[]>("--reference", "-r") { Description = "Reference file (repeat for several references).", AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => [] };
        var inputs = new Option<string[]>("--input", "-i") { Description = "Hypothesis file(s); the first is the baseline in paired tests.", Required = true, AllowMultipleArgumentsPerToken = true };
        var metrics = new Option<string[]>("--metrics", "-m") { Description = "Metrics: bleu, chrf, ter; or comet (with -s, -r) / cometkiwi (with -s) and --comet-model.", AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => ["bleu"] };
        var source = new Option<string>("--source", "-s") { Description = "Source file (COMET metrics)." };
        var cometModel = new Option<string>("--comet-model") { Description = "COMET model folder (hparams.yaml + checkpoints/model.ckpt, or model.safetensors) for -m comet / cometkiwi." };
        var cometEncoder = new Option<string>("--comet-encoder") { Description = "Folder with the XLM-R encoder's tokenizer (tokenizer.json or sentencepiece.bpe.model) and config.json, when neither the COMET folder nor the Hugging Face cache has them." };
        var batchSize = new Option<int>("--batch-size") { Description = "COMET batch size.", DefaultValueFactory = _ => 16 };
        var onlySystem = new Option<bool>("--only-system") { Description = "COMET: print only the system scores." };
        var toJson = new Option<string>("--to-json") { Description = "COMET: also write the segment scores to this JSON file (COMET's --to_json layout)." };
        var device = CommonOptions.Device();
        var dtype = CommonOptions.DType();
        var tokenize = new Option<string>("--tokenize", "-tok") { Description = "BLEU tokenizer: 13a, intl, zh, char, none.", DefaultValueFactory = _ => "13a" };
        var lowercase = new Option<bool>("--lowercase", "-lc") { Description = "Lowercased BLEU." };
        var smoothMethod = new Option<string>("--smooth-method", "-sm") { Description = "BLEU smoothing: exp, floor, add-k, none.", DefaultValueFactory = _ => "exp" };
        var smoothValue = new Option<double?>("--smooth-value", "-sv") { Description = "Value for floor (0.1) and add-k (1) smoothing." };
        var charOrder = new Option<int>("--chrf-char-order", "-cc") { Description = "chrF character n-gram order.", DefaultValueFactory = _ => 6 };
        var wordOrder = new Option<int>("--chrf-word-order", "-cw") { Description = "chrF word n-gram order (2 = chrF++).", DefaultValueFactory = _ => 0 };
        var beta = new Option<int>("--chrf-beta") { Description = "chrF β (recall weight).", DefaultValueFactory = _ => 2 };
        var chrfWhitespace = new Option<bool>("--chrf-whitespace") { Description = "Keep whitespace in chrF character n-grams." };
        var chrfLowercase = new Option<bool>("--chrf-lowercase") { Description = "Lowercased chrF." };
        var chrfEps = new Option<bool>("--chrf-eps-smoothing") { Description = "chrF++.py-style epsilon smoothing." };
        var terCase = new Option<bool>("--ter-case-sensitive") { Description = "Case-sensitive TER." };
        var terAsian = new Option<bool>("--ter-asian-support") { Description = "TER: split CJK characters / remove CJK punctuation." };
        var terNoPunct = new Option<bool>("--ter-no-punct") { Description = "TER: remove punctuation." };
        var terNormalized = new Option<bool>("--ter-normalized") { Description = "TER: Tercom normalisation." };
        var sentence = new Option<bool>("--sentence-level", "-sl") { Description = "One score per segment (one metric, one system; BLEU uses effective order)." };
        var pairedBs = new Option<bool>("--paired-bs", "-pbs") { Description = "Paired bootstrap resampling against the first input." };
        var pairedAr = new Option<bool>("--paired-ar", "-par") { Description = "Paired approximate randomization against the first input." };
        var pairedBsN = new Option<int>("--paired-bs-n", "-pbsn") { Description = "Bootstrap resamples.", DefaultValueFactory = _ => PairedBootstrap.DefaultSamples };
        var pairedArN = new Option<int>("--paired-ar-n", "-parn") { Description = "Approximate randomization trials.", DefaultValueFactory = _ => ApproximateRandomization.DefaultTrials };
        var seed = new Option<string>("--seed") { Description = "Seed of the paired tests (numpy-compatible; 'none' for a random one). Default: $SACREBLEU_SEED or 12345." };
        var format = new Option<string>("--format", "-f") { Description = "Output: json (sacrebleu's default) or text.", DefaultValueFactory = _ => "json" };
        var width = new Option<int>("--width", "-w") { Description = "Decimals of printed scores.", DefaultValueFactory = _ => 1 };
        var shortSig = new Option<bool>("--short", "-sh") { Description = "Short signatures." };
        var scoreOnly = new Option<bool>("--score-only", "-b") { Description = "Print only the scores." };
        format.AcceptOnlyFromAmong("json", "text");
        tokenize.AcceptOnlyFromAmong("13a", "intl", "zh", "char", "none");
        smoothMethod.AcceptOnlyFromAmong("exp", "floor", "add-k", "none");

        var command = new Command("score", "Score hypotheses against references with sacrebleu-exact BLEU, chrF/chrF++ and TER (paired significance tests for several systems), or with a COMET model.");
        foreach (var o in new Option[] { refs, inputs, metrics, source, cometModel, cometEncoder, batchSize, onlySystem, toJson, device, dtype, tokenize, lowercase, smoothMethod, smoothValue, charOrder, wordOrder, beta, chrfWhitespace,
                     chrfLowercase, chrfEps, terCase, terAsian, terNoPunct, terNormalized, sentence, pairedBs, pairedAr, pairedBsN, pairedArN, seed, format, width, shortSig, scoreOnly })
            command.Options.Add(o);

        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var names = parse.GetValue(metrics)!.Select(m => m.ToLowerInvariant()).ToList();
            if (names.Any(CometScoring.IsComet))
            {
                if (names.Count != 1)
                    throw new InvalidInputException("COMET metrics (comet, cometkiwi) run alone: score BLEU/chrF/TER in a separate call");
                CometScoring.Run(new CometScoring.Request(names[0], parse.GetValue(cometModel), parse.GetValue(cometEncoder), parse.GetValue(source),
                    parse.GetValue(refs)!, parse.GetValue(inputs)!, parse.GetValue(batchSize), parse.GetValue(onlySystem), parse.GetValue(toJson),
                    parse.GetValue(device)!, parse.GetValue(dtype)!), output, parse.InvocationConfiguration.Error);
                return 0;
            }
            if (parse.GetValue(refs)!.Length == 0)
                throw new InvalidInputException("bleu, chrf and ter need at least one reference file (-r)");
            var metricList = new List<Metric>();
            var sentenceLevel = parse.GetValue(sentence);
            foreach (var name in parse.GetValue(metrics)!)
            {
                metricList.Add(name.ToLowerInvariant() switch
                {
                    "bleu" => new Bleu(parse.GetValue(tokenize)!, parse.GetValue(smoothMethod)!, parse.GetValue(smoothValue), parse.GetValue(lowercase), effectiveOrder: sentenceLevel),
                    "chrf" => new ChrF(parse.GetValue(charOrder), parse.GetValue(wordOrder), parse.GetValue(beta), parse.GetValue(chrfLowercase), parse.GetValue(chrfWhitespace), parse.GetValue(chrfEps)),
                    "ter" => new Ter(parse.GetValue(terNormalized), parse.GetValue(terNoPunct), parse.GetValue(terAsian), parse.GetValue(terCase)),
                    _ => throw new InvalidInputException($"unknown metric '{name}' (supported: bleu, chrf, ter, comet, cometkiwi)"),
                });
            }
            var request = new ScoreRequest(parse.GetValue(refs)!, parse.GetValue(inputs)!, metricList, sentenceLevel,
                parse.GetValue(pairedBs) ? "bs" : parse.GetValue(pairedAr) ? "ar" : null,
                parse.GetValue(pairedBs) ? parse.GetValue(pairedBsN) : parse.GetValue(pairedArN),
                ParseSeed(parse.GetValue(seed) ?? Environment.GetEnvironmentVariable("SACREBLEU_SEED") ?? "12345"),
                parse.GetValue(format)!, parse.GetValue(width), parse.GetValue(shortSig), parse.GetValue(scoreOnly));
            if (parse.GetValue(pairedBs) && parse.GetValue(pairedAr))
                throw new InvalidInputException("--paired-bs and --paired-ar are mutually exclusive");
            Run(request, output, parse.InvocationConfiguration.Error);
            return 0;
        });
        return command;
    }

    static ulong? ParseSeed(string s) =>
        s.Equals("none", StringComparison.OrdinalIgnoreCase) ? null
        : ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v
        : throw new InvalidInputException($"--seed must be a non-negative integer or 'none', got '{s}'");

    internal sealed record ScoreRequest(string[] References, string[] Inputs, List<Metric> Metrics, bool SentenceLevel, string? PairedTest,
        int PairedSamples, ulong? Seed, string Format, int Width, bool ShortSignatures, bool ScoreOnly);

    internal static void Run(ScoreRequest q, TextWriter output, TextWriter error)
    {
        var refFiles = q.References.Select(p => (Path: p, Lines: SegmentFile.Read(p))).ToList();
        var systems = new List<(string Path, string[] Lines)>();
        foreach (var path in q.Inputs)
        {
            if (systems.Any(s => s.Path == path))
            {
                if (q.PairedTest is not null && systems[0].Path == path)
                    continue;
                throw new InvalidInputException($"{path} is given twice as a system");
            }
            systems.Add((path, SegmentFile.Read(path)));
        }
        SegmentFile.CheckSameLength([.. systems, .. refFiles]);
        foreach (var (path, lines) in systems)
        {
            var empty = lines.Count(l => l.Length == 0);
            if (empty > 0)
                error.WriteLine($"pharos: warning: {path}: {empty} empty line(s) (first: line {Array.FindIndex(lines, l => l.Length == 0) + 1}); scored as empty hypotheses, as sacrebleu does");
        }
        IReadOnlyList<IReadOnlyList<string>> references = refFiles.Select(r => (IReadOnlyList<string>)r.Lines).ToList();
        var nrefs = refFiles.Count;

        if (q.SentenceLevel)
        {
            if (q.Metrics.Count != 1)
                throw new InvalidInputException("--sentence-level takes exactly one metric");
            if (systems.Count != 1)
                throw new InvalidInputException("--sentence-level takes exactly one system");
            if (q.PairedTest is not null)
                throw new InvalidInputException("statistical tests are unavailable with --sentence-level");
            var metric = q.Metrics[0];
            var sig = metric.Signature(nrefs).Format(q.ShortSignatures);
            var hyps = systems[0].Lines;
            var refsOfSegment = new string[nrefs];
            for (var i = 0; i < hyps.Length; i++)
            {
                for (var r = 0; r < nrefs; r++)
                    refsOfSegment[r] = refFiles[r].Lines[i];
                output.WriteLine(metric.SentenceScore(hyps[i], refsOfSegment).Format(q.Width, sig, q.ScoreOnly));
            }
            return;
        }

        if (q.PairedTest is not null)
        {
            if (systems.Count < 2)
                throw new InvalidInputException("paired tests need several systems given to --input (the first is the baseline)");
            var named = systems.Select((s, i) => (i == 0 ? $"Baseline: {s.Path}" : s.Path, (IReadOnlyList<string>)s.Lines)).ToList();
            var report = q.PairedTest == "bs"
                ? PairedBootstrap.Run(named, references, q.Metrics, q.PairedSamples, q.Seed)
                : ApproximateRandomization.Run(named, references, q.Metrics, q.PairedSamples, q.Seed);
            output.WriteLine(q.Format == "json" ? SacrebleuOutput.PairedJson(report) : SacrebleuOutput.PairedTable(report, q.Width, q.ShortSignatures));
            return;
        }

        // sacrebleu scores metrics in sorted name order (BLEU, CHRF, TER).
        var ordered = q.Metrics.OrderBy(m => m is Bleu ? 0 : m is ChrF ? 1 : 2).ToList();
        if (systems.Count == 1)
        {
            var lines = new List<string>();
            foreach (var metric in ordered)
            {
                var score = metric.CorpusScore(systems[0].Lines, references);
                var sig = metric.Signature(nrefs);
                lines.Add(q.Format == "json" && !q.ScoreOnly
                    ? score.FormatJson(q.Width, sig)
                    : score.Format(q.Width, sig.Format(q.ShortSignatures), q.ScoreOnly));
            }
            output.WriteLine(q.Format == "json" && !q.ScoreOnly ? SacrebleuOutput.JsonList(lines) : SacrebleuOutput.AlignedLines(lines));
            return;
        }

        // Several systems without a test: one line per system and metric.
        foreach (var (path, lines) in systems)
            foreach (var metric in ordered)
            {
                var score = metric.CorpusScore(lines, references);
                output.WriteLine($"{path}\t{score.Format(q.Width, metric.Signature(nrefs).Format(q.ShortSignatures), q.ScoreOnly)}");
            }
    }
}
