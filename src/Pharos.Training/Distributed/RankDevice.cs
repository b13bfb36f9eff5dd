// Which device a rank trains on: `cuda` without an index means one GPU per rank on each machine (cuda:LOCAL_RANK);
// an explicit cuda:N or the CPU is used as given.
using TorchSharp;
using static TorchSharp.torch;

namespace Pharos.Training.Distributed;

public static class RankDevice
{
    public static Device For(Device configured, int localRank) =>
        configured.type == DeviceType.CUDA && configured.index < 0 ? new Device(DeviceType.CUDA, localRank) : configured;
}
