// The OpenMP spin limit reaches the native environment libgomp reads (not only .NET's copy), and a choice the user made
// is left alone.
using System.Runtime.InteropServices;

namespace Pharos.Models.Tests.Runtime;

public partial class OpenMpWaitPolicyTests
{
    [LibraryImport("libc", EntryPoint = "getenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr NativeGetEnv(string name);

    static string? Native(string name) => Marshal.PtrToStringUTF8(NativeGetEnv(name));

    [Fact]
    public void The_spin_limit_is_set_natively_unless_the_user_chose_a_policy()
    {
        // tests/run.sh chooses OMP_WAIT_POLICY=PASSIVE; a plain `dotnet test` chooses nothing.
        var before = Environment.GetEnvironmentVariable(OpenMpWaitPolicy.SpinCountVariable);
        bool userChose = before is { Length: > 0 } || Environment.GetEnvironmentVariable(OpenMpWaitPolicy.PolicyVariable) is { Length: > 0 };
        bool changed = OpenMpWaitPolicy.LimitSpinning();
        Assert.Equal(!userChose, changed);
        if (changed)
        {
            Assert.Equal(OpenMpWaitPolicy.ShortSpin, Native(OpenMpWaitPolicy.SpinCountVariable));
            Assert.Equal(OpenMpWaitPolicy.ShortSpin, Environment.GetEnvironmentVariable(OpenMpWaitPolicy.SpinCountVariable));
        }
        else Assert.Equal(before, Environment.GetEnvironmentVariable(OpenMpWaitPolicy.SpinCountVariable));
        // A second call never overrides: the first choice (the user's or ours) stands.
        Assert.False(OpenMpWaitPolicy.LimitSpinning());
    }
}
