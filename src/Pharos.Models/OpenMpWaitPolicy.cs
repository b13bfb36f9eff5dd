// libtorch's CPU kernels run on OpenMP (libgomp), whose idle threads busy-wait between parallel regions. When the
// cores are shared — another process, several jobs, parallel tests — the spinning threads take the time the working
// thread needs: greedy decoding of a ~110M Llama (16 rows × 16 tokens) took 27 s with one other busy process on this
// 2-core machine and 2.2 s with passive waiting (threads sleep in the kernel until there is work). Passive is the
// default here unless the user chose a policy (OMP_WAIT_POLICY or GOMP_SPINCOUNT); see docs/ARCHITECTURE.md for the
// cost on an idle machine. libgomp reads the variable once, when it loads, so this must run before the first tensor.
using System.Runtime.InteropServices;

namespace Pharos.Models;

public static partial class OpenMpWaitPolicy
{
    public const string Variable = "OMP_WAIT_POLICY";

    /// <summary>Sets OMP_WAIT_POLICY=PASSIVE for this process (native environment, read by libgomp) and its children
    /// (.NET's copy, which Process.Start uses); returns false, changing nothing, when the user already chose.</summary>
    public static bool PreferPassive()
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } || Environment.GetEnvironmentVariable("GOMP_SPINCOUNT") is { Length: > 0 })
            return false;
        Environment.SetEnvironmentVariable(Variable, "PASSIVE");
        // .NET keeps its own copy of the environment on Unix; native getenv only sees what libc's setenv writes.
        if (!OperatingSystem.IsWindows()) _ = SetNative(Variable, "PASSIVE", 1);
        return true;
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetNative(string name, string value, int overwrite);
}
