// A long-lived peer process answering one command per line, so Pharos and peer iterations can be interleaved
// and see the same machine load (these machines are shared; back-to-back runs are not comparable).
using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Pharos.Bench;

internal sealed class PeerSession : IDisposable
{
    readonly Process process;

    /// <summary>Starts the peer (see <see cref="TorchPeer.Session"/>) and waits for its {"ready": true, …} line.</summary>
    public PeerSession(ProcessStartInfo psi)
    {
        psi.RedirectStandardInput = true;
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = false;
        process = Process.Start(psi)!;
        Ready = ReadReply();
    }

    /// <summary>The peer's first line: torch version, threads, and whatever it reports once loaded.</summary>
    public JsonObject Ready { get; }

    public JsonObject Send(string command)
    {
        process.StandardInput.WriteLine(command);
        process.StandardInput.Flush();
        return ReadReply();
    }

    JsonObject ReadReply()
    {
        var line = process.StandardOutput.ReadLine() ?? throw new InvalidOperationException($"peer exited ({(process.HasExited ? process.ExitCode : -1)})");
        return (JsonObject)JsonNode.Parse(line)!;
    }

    public void Dispose()
    {
        try { process.StandardInput.WriteLine("quit"); process.WaitForExit(5000); } catch (IOException) { }
        if (!process.HasExited) process.Kill();
        process.Dispose();
    }
}
