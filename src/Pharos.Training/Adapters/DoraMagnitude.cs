// DoRA's trained magnitude: one float32 value per output row of the adapted Linear, held in a module so its parameter is
// named like PEFT's (q_proj.lora_magnitude_vector.weight in memory, q_proj.lora_magnitude_vector in the saved file).
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pharos.Training.Adapters;

public sealed class DoraMagnitude : nn.Module
{
    public Parameter weight;

    public DoraMagnitude(long outFeatures, Device device) : base(nameof(DoraMagnitude))
    {
        weight = new Parameter(empty([outFeatures], float32, device));
        RegisterComponents();
    }
}
