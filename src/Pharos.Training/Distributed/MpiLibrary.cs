// Loads the MPI library that fits the launcher and picks its ABI. dlopen with RTLD_GLOBAL (as mpi4py does): Open MPI's
// plugins resolve libmpi's symbols from the global scope. A missing library is one line saying what to install.
using System.Runtime.InteropServices;
using Pharos.Models.Errors;

namespace Pharos.Training.Distributed;

internal static partial class MpiLibrary
{
    const int RtldNow = 0x2, RtldGlobal = 0x100;

    public static MpiApi Load(MpiLaunch launch)
    {
        var failures = new List<string>();
        foreach (var name in launch.Libraries)
        {
            var handle = dlopen(name, RtldNow | RtldGlobal);
            if (handle == 0)
            {
                failures.Add(Marshal.PtrToStringUTF8(dlerror()) ?? name);
                continue;
            }
            return OpenMpiApi.Recognises(handle) ? new OpenMpiApi(handle, name) : new MpichApi(handle, name);
        }
        throw new PharosException(
            $"started as rank {launch.Rank} of {launch.Size} by {launch.Launcher}, but no MPI library could be loaded "
            + $"(tried {string.Join("; ", failures)}): install Open MPI (Debian/Ubuntu: apt-get install openmpi-bin) or MPICH "
            + $"(apt-get install mpich), or set {MpiLaunch.LibraryVariable} to the libmpi that matches your mpirun");
    }

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint dlopen(string file, int mode);

    [LibraryImport("libc")]
    private static partial nint dlerror();
}
