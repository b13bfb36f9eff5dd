// Replays a random generator for a recomputed layer: the layer draws exactly the dropout masks it drew in the forward
// pass, and the generator is left where it was, so later draws do not shift.
using static TorchSharp.torch;

namespace Pharos.Models.Transformer;

public sealed class GeneratorReplay(Generator generator) : IRecomputeState
{
    public object? Capture()
    {
        using var state = generator.get_state();
        return state.data<byte>().ToArray();
    }

    public IDisposable Replay(object? state)
    {
        var now = generator.get_state().DetachFromDisposeScope();
        using (var then = tensor((byte[])state!, dtype: ScalarType.Byte)) generator.set_state(then);
        return new Restore(generator, now);
    }

    sealed class Restore(Generator generator, Tensor state) : IDisposable
    {
        public void Dispose()
        {
            generator.set_state(state);
            state.Dispose();
        }
    }
}
