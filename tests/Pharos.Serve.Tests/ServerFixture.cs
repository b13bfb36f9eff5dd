// One real server on 127.0.0.1 (a free port) serving the bundled stories260K with a ChatML template added, shared by a test class.
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Pharos.Tests;

namespace Pharos.Serve.Tests;

public sealed class ServerFixture : IAsyncLifetime
{
    readonly TempDir temp = new();
    public ServedModel Served { get; private set; } = null!;
    public OpenAiServer Server { get; private set; } = null!;
    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromMinutes(3) };

    public const string ChatMl =
        "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}" +
        "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

    public async Task InitializeAsync()
    {
        var source = RepoPaths.Samples("models", "stories260K");
        var folder = Path.Combine(temp.Path, "stories260K");
        Directory.CreateDirectory(folder);
        foreach (var f in Directory.GetFiles(source)) File.Copy(f, Path.Combine(folder, Path.GetFileName(f)));
        var configPath = Path.Combine(folder, "tokenizer_config.json");
        var config = (JsonObject)JsonNode.Parse(File.ReadAllText(configPath))!;
        config["chat_template"] = ChatMl;
        File.WriteAllText(configPath, config.ToJsonString());
        Served = new ServedModel(folder, "stories");
        Server = await OpenAiServer.StartAsync(Served, "127.0.0.1", 0, quiet: true);
        Http.BaseAddress = new Uri(Server.Address);
    }

    public async Task<(int Status, JsonObject Body)> PostAsync(string path, string json)
    {
        using var response = await Http.PostAsync(path, new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        var body = (JsonObject)JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return ((int)response.StatusCode, body);
    }

    public async Task<JsonObject> GetAsync(string path) => (await Http.GetFromJsonAsync<JsonObject>(path))!;

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Served.Dispose();
        Http.Dispose();
        temp.Dispose();
    }
}
