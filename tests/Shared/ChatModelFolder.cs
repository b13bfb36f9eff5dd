// A copy of the bundled stories260K with a ChatML chat template added, for tests of chat, translation and serving.
using System.Text.Json.Nodes;

namespace Pharos.Tests;

internal static class ChatModelFolder
{
    public const string ChatMl =
        "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}" +
        "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

    public static string Create(TempDir temp)
    {
        var source = RepoPaths.Samples("models", "stories260K");
        var folder = Path.Combine(temp.Path, "stories260K");
        Directory.CreateDirectory(folder);
        foreach (var f in Directory.GetFiles(source)) File.Copy(f, Path.Combine(folder, Path.GetFileName(f)));
        var configPath = Path.Combine(folder, "tokenizer_config.json");
        var config = (JsonObject)JsonNode.Parse(File.ReadAllText(configPath))!;
        config["chat_template"] = ChatMl;
        File.WriteAllText(configPath, config.ToJsonString());
        return folder;
    }
}
