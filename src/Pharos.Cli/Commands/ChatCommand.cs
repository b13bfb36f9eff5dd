// `pharos chat --model DIR`: an interactive conversation that streams the answer token by token.
// Commands: /reset clears the conversation, /system TEXT sets the system prompt, /exit leaves.
using System.CommandLine;
using Pharos.Models;
using Pharos.Models.Generation;
using Pharos.Models.Loading;
using Pharos.Models.Tokenization;

namespace Pharos.Cli.Commands;

internal static class ChatCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model", "-m") { Description = "Hugging Face model folder (with tokenizer.json and a chat template).", Required = true };
        var system = new Option<string?>("--system") { Description = "System prompt for the conversation." };
        var maxNew = new Option<int>("--max-new-tokens") { Description = "Longest answer in tokens.", DefaultValueFactory = _ => 512 };
        var temperature = new Option<double>("--temperature") { Description = "0 = greedy.", DefaultValueFactory = _ => 0.7 };
        var topP = new Option<double>("--top-p") { Description = "Nucleus sampling mass.", DefaultValueFactory = _ => 0.95 };
        var seed = new Option<long?>("--seed") { Description = "Seed for sampling." };
        var device = CommonOptions.Device();
        var dtype = CommonOptions.InferenceDType();
        var command = new Command("chat", "Chat with a model in the terminal; answers stream as they are generated. /reset, /system TEXT, /exit.");
        foreach (var o in new Option[] { model, system, maxNew, temperature, topP, seed, device, dtype }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            var folder = parse.GetValue(model)!;
            using var loaded = ModelLoader.Load(folder, DTypes.ParseDevice(parse.GetValue(device)!), DTypes.ParseInference(parse.GetValue(dtype)!, DTypes.ParseDevice(parse.GetValue(device)!)));
            var chat = new ChatGenerator(loaded, HfTokenizer.Load(folder));
            var options = new GenerationOptions
            {
                MaxNewTokens = parse.GetValue(maxNew), Temperature = parse.GetValue(temperature), TopP = parse.GetValue(topP), Seed = parse.GetValue(seed),
            };
            string? systemPrompt = parse.GetValue(system);
            var history = new List<ChatMessage>();
            bool interactive = !Console.IsInputRedirected;
            if (interactive) Console.Error.WriteLine($"chatting with {Path.GetFileName(Path.GetFullPath(folder))}: /reset, /system TEXT, /exit");
            while (true)
            {
                if (interactive) Console.Write("> ");
                var line = Console.ReadLine();
                if (line is null || line.Trim() == "/exit") break;
                if (line.Trim().Length == 0) continue;
                if (line.Trim() == "/reset") { history.Clear(); Console.Error.WriteLine("(conversation cleared)"); continue; }
                if (line.StartsWith("/system", StringComparison.Ordinal))
                {
                    systemPrompt = line["/system".Length..].Trim();
                    Console.Error.WriteLine(systemPrompt.Length == 0 ? "(system prompt removed)" : "(system prompt set)");
                    if (systemPrompt.Length == 0) systemPrompt = null;
                    continue;
                }
                history.Add(new ChatMessage("user", line));
                var conversation = systemPrompt is null ? history : [new ChatMessage("system", systemPrompt), .. history];
                var answer = chat.Complete([conversation], options, (_, text) => { Console.Write(text); Console.Out.Flush(); })[0];
                Console.WriteLine();
                history.Add(new ChatMessage("assistant", answer));
            }
            return 0;
        });
        return command;
    }
}
