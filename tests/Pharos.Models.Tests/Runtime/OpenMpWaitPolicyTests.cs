// The OpenMP wait policy reaches the native environment libgomp reads (not only .NET's copy), and a choice the user made
// is left alone.
using System.Runtime.InteropServices;

namespace Pharos.Models.Tests.Runtime;

public partial class OpenMpWaitPolicyTests
{
    [LibraryImport("libc", EntryPoint = "getenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr NativeGetEnv(string name);

    static string? Native(string name) => Marshal.PtrToStringUTF8(NativeGetEnv(name));

    [Fact]
    public void Passive_is_set_natively_unless_the_user_chose_a_policy()
    {
        var before = Environment.GetEnvironmentVariable(OpenMpWaitPolicy.Variable);
        bool userChose = before is { Length: > 0 } || Environment.GetEnvironmentVariable("GOMP_SPINCOUNT") is { Length: > 0 };
        bool changed = OpenMpWaitPolicy.PreferPassive();
        Assert.Equal(!userChose, changed);
        if (changed)
        {
            Assert.Equal("PASSIVE", Native(OpenMpWaitPolicy.Variable));
            Assert.Equal("PASSIVE", Environment.GetEnvironmentVariable(OpenMpWaitPolicy.Variable));
        }
        else Assert.Equal(before, Environment.GetEnvironmentVariable(OpenMpWaitPolicy.Variable));
        // A second call never overrides: the first choice (the user's or ours) stands.
        Assert.False(OpenMpWaitPolicy.PreferPassive());
    }
}
