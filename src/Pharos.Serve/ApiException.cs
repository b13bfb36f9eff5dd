// A request the server refuses, turned into an OpenAI-style error object with an HTTP status.
using System.Text.Json.Nodes;

namespace Pharos.Serve;

public sealed class ApiException(int status, string message, string? param = null, string type = "invalid_request_error", string? code = null)
    : Exception(message)
{
    public int Status { get; } = status;

    public JsonObject ToJson() => new()
    {
        ["error"] = new JsonObject
        {
            ["message"] = Message,
            ["type"] = type,
            ["param"] = param,
            ["code"] = code,
        },
    };
}
