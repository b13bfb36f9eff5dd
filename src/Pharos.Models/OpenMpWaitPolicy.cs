// libtorch's CPU kernels run on OpenMP (libgomp), whose idle threads busy-wait between parallel regions (by default up
// to 300,000 spins). When the cores are shared — another process, several jobs, parallel tests — the spinning threads
// take the time the working thread needs. Measured on this 2-core machine, greedy decoding of a ~110M Llama (16 rows ×
// 16 tokens) with one other busy process: default 24–36 s, GOMP_SPINCOUNT=10000 10–15 s, passive waiting 4–7 s; on the
// idle machine (GRPO bench, generation of 16 × 64 tokens): default/active 10.2 s, 10,000 spins 10.2 s, passive 14.4 s.
// So pharos spins at most 10,000 times (no cost when the machine is free); tests/run.sh, which oversubscribes on purpose,
// waits passively. A choice the user made (OMP_WAIT_POLICY or GOMP_SPINCOUNT) is kept. libgomp reads these once, when it
// loads, so this must run before the first tensor.
using System.Runtime.InteropServices;

namespace Pharos.Models;

public static partial class OpenMpWaitPolicy
{
    public const string SpinCountVariable = "GOMP_SPINCOUNT";
    public const string PolicyVariable = "OMP_WAIT_POLICY";
    public const string ShortSpin = "10000";

    /// <summary>Sets GOMP_SPINCOUNT=10000 for this process (native environment, read by libgomp) and its children (.NET's
    /// copy, which Process.Start uses); returns false, changing nothing, when the user already chose a policy.</summary>
    public static bool LimitSpinning()
    {
        if (Environment.GetEnvironmentVariable(PolicyVariable) is { Length: > 0 } || Environment.GetEnvironmentVariable(SpinCountVariable) is { Length: > 0 })
            return false;
        Environment.SetEnvironmentVariable(SpinCountVariable, ShortSpin);
        // .NET keeps its own copy of the environment on Unix; native getenv only sees what libc's setenv writes.
        if (!OperatingSystem.IsWindows()) _ = SetNative(SpinCountVariable, ShortSpin, 1);
        return true;
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetNative(string name, string value, int overwrite);
}
