// Eval's verifiers as GRPO rewards by name: IFEval-format records, math answers and translation constraints that take
// the source from the record; the same verdicts `pharos eval` gives.
using System.Text.Json.Nodes;
using Pharos.Training.Rewards;

namespace Pharos.Training.Tests.Grpo;

public class VerifierRewardTests
{
    static RewardInput In(string completion, string record) => new("prompt", completion, (JsonObject)JsonNode.Parse(record)!);

    const string IfEvalRecord = """
        {"prompt": "Write about cats.", "instruction_id_list": ["punctuation:no_comma", "keywords:existence"],
         "kwargs": [{}, {"keywords": ["whiskers"]}]}
        """;

    [Fact]
    public void Ifeval_reward_is_the_share_of_instructions_followed()
    {
        var reward = RewardRegistry.Create(new RewardSpec("ifeval"));
        Assert.Equal(1.0, reward.Score(In("Cats have whiskers.", IfEvalRecord)));
        Assert.Equal(0.5, reward.Score(In("Cats have tails.", IfEvalRecord)));
        Assert.Equal(0.0, reward.Score(In("Cats, dogs.", IfEvalRecord)));
        Assert.Null(reward.Score(In("anything", """{"prompt": "no instructions here"}""")));
    }

    [Fact]
    public void A_single_verifier_id_scores_its_own_instruction_and_abstains_elsewhere()
    {
        var noComma = RewardRegistry.Create(new RewardSpec("punctuation:no_comma"));
        Assert.Equal(1.0, noComma.Score(In("No commas here.", IfEvalRecord)));
        Assert.Equal(0.0, noComma.Score(In("Commas, here.", IfEvalRecord)));
        Assert.Null(RewardRegistry.Create(new RewardSpec("keywords:forbidden_words")).Score(In("x", IfEvalRecord)));
    }

    [Fact]
    public void Math_answers_and_translation_constraints_read_their_arguments_from_the_record()
    {
        var math = RewardRegistry.Create(new RewardSpec("math:final_answer"));
        Assert.Equal(1.0, math.Score(In("So the total is \\boxed{42}.", """{"kwargs": {"answer": "42"}}""")));
        Assert.Equal(0.0, math.Score(In("The answer is 41.", """{"kwargs": {"answer": "42"}}""")));

        var placeholders = RewardRegistry.Create(new RewardSpec("translation:placeholders"));
        const string record = """{"source": "Hello {name}, you have %d messages.", "source_lang": "en", "target_lang": "de", "kwargs": {}}""";
        Assert.Equal(1.0, placeholders.Score(In("Hallo {name}, du hast %d Nachrichten.", record)));
        Assert.True(placeholders.Score(In("Hallo Anna, du hast Nachrichten.", record)) < 1.0);
    }

    [Fact]
    public void Ifmt_reward_scores_the_records_instruction_list_in_the_ifmt_eval_format()
    {
        // The shape of samples/data/grpo-prompts.jsonl and samples/eval/ifmt.jsonl: {id, args} entries; the translation
        // verifiers take the source and languages from the record.
        const string record = """
            {"source": "could not open file \"%s\": %m", "source_lang": "en", "target_lang": "de",
             "instructions": [{"id": "translation:placeholders"}, {"id": "translation:glossary", "args": {"terms": ["Datei"]}},
                              {"id": "punctuation:no_comma"}]}
            """;
        var reward = RewardRegistry.Create(new RewardSpec("ifmt"));
        Assert.Equal(1.0, reward.Score(In("konnte Datei »%s« nicht öffnen: %m", record)));
        Assert.Equal(2.0 / 3, reward.Score(In("konnte Datei nicht öffnen", record))!.Value, 12);
        Assert.Equal(1.0 / 3, reward.Score(In("konnte Akte »%s« nicht öffnen, %m", record))!.Value, 12);
        Assert.Null(reward.Score(In("anything", """{"source": "x"}""")));
        var broken = RewardRegistry.Create(new RewardSpec("ifmt"));
        Assert.Throws<Pharos.Models.Errors.PharosException>(() => broken.Score(In("x", """{"instructions": [{"args": {}}]}""")));
    }

    [Fact]
    public void Unknown_reward_names_list_the_verifier_ids_as_an_option()
    {
        var e = Assert.Throws<Pharos.Models.Errors.PharosException>(() => RewardRegistry.Create(new RewardSpec("keywords:nonsense")));
        Assert.Contains("verifier id", e.Message);
    }
}
