// `pharos serve --model DIR`: the OpenAI-compatible HTTP API (chat, completions, streaming) on Kestrel, loopback by default.
using System.CommandLine;
using Pharos.Models;
using Pharos.Serve;
using Spectre.Console;

namespace Pharos.Cli.Commands;

internal static class ServeCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model", "-m") { Description = "Hugging Face model folder (with tokenizer.json).", Required = true };
        var name = new Option<string?>("--served-model-name") { Description = "Name clients pass as `model` (default: the folder's name)." };
        var host = new Option<string>("--host") { Description = "Address to bind; 0.0.0.0 exposes the server beyond this machine.", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "TCP port.", DefaultValueFactory = _ => 8000 };
        var maxBatch = new Option<int>("--max-batch") { Description = "Rows decoded together (continuous batching; a request with n choices takes n rows).", DefaultValueFactory = _ => 8 };
        var device = CommonOptions.Device();
        var dtype = CommonOptions.InferenceDType();
        var command = new Command("serve", "Serve a model over an OpenAI-compatible HTTP API: /v1/chat/completions (with streaming), /v1/completions, /v1/models, /health.");
        foreach (var o in new Option[] { model, name, host, port, maxBatch, device, dtype }) command.Options.Add(o);
        command.SetAction(async (parse, cancel) =>
        {
            using var served = new ServedModel(parse.GetValue(model)!, parse.GetValue(name), DTypes.ParseDevice(parse.GetValue(device)!),
                DTypes.ParseInference(parse.GetValue(dtype)!, DTypes.ParseDevice(parse.GetValue(device)!)), parse.GetValue(maxBatch));
            await using var server = await OpenAiServer.StartAsync(served, parse.GetValue(host)!, parse.GetValue(port));
            AnsiConsole.MarkupLine($"serving [blue]{Markup.Escape(served.Name)}[/] at [link]{Markup.Escape(server.Address)}[/] (Ctrl+C to stop)");
            try { await server.WaitForShutdownAsync(cancel); }
            catch (OperationCanceledException) { }
            return 0;
        });
        return command;
    }
}
