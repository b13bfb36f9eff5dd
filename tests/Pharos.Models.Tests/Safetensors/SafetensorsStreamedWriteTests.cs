// SafetensorsWriter.WriteStreamed: tensors made one at a time from a layout of meta tensors give the same bytes as writing
// them all at once; each is made in the file's order and released before the next; a tensor that does not match its
// layout is refused by name; with no path, every tensor is still made, in the same order, and nothing is written.
using Pharos.Models.Safetensors;
using Pharos.Tests;
using TorchSharp;
using static TorchSharp.torch;

namespace Pharos.Models.Tests.Safetensors;

public class SafetensorsStreamedWriteTests
{
    static Dictionary<string, Tensor> Tensors()
    {
        var g = new Generator(5);
        return new Dictionary<string, Tensor>
        {
            ["b.weight"] = randn([3, 4], generator: g),
            ["a.weight"] = randn([7], generator: g),
            ["c.half"] = randn([2, 2], generator: g).to(bfloat16),
            ["rng"] = tensor(new byte[] { 1, 2, 3, 250 }),
        };
    }

    static List<KeyValuePair<string, Tensor>> Layout(Dictionary<string, Tensor> tensors) =>
        tensors.Select(t => new KeyValuePair<string, Tensor>(t.Key, empty(t.Value.shape, t.Value.dtype, device: META))).ToList();

    [Fact]
    public void Streamed_file_equals_the_file_written_at_once_and_makes_one_tensor_at_a_time()
    {
        var tensors = Tensors();
        using var dir = new TempDir();
        SafetensorsWriter.Write(dir.File("whole.safetensors"), tensors, new Dictionary<string, string> { ["format"] = "pt" });
        var order = new List<string>();
        long liveBefore = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        long mostAlive = 0;
        SafetensorsWriter.WriteStreamed(dir.File("streamed.safetensors"), Layout(tensors), name =>
        {
            order.Add(name);
            // What the writer was handed before stays released: at most the one being made is alive beyond the layout.
            mostAlive = Math.Max(mostAlive, DisposeScopeManager.Statistics.ThreadTotalLiveCount - liveBefore);
            return tensors[name].clone();
        }, new Dictionary<string, string> { ["format"] = "pt" });
        Assert.Equal(File.ReadAllBytes(dir.File("whole.safetensors")), File.ReadAllBytes(dir.File("streamed.safetensors")));
        // safetensors' order: wider dtypes first, then by name.
        Assert.Equal(["a.weight", "b.weight", "c.half", "rng"], order);
        Assert.True(mostAlive <= 4 + 1, $"{mostAlive} tensors alive while streaming (layout of 4 + the one being made)");
    }

    [Fact]
    public void A_tensor_unlike_its_layout_is_refused_by_name()
    {
        var tensors = Tensors();
        using var dir = new TempDir();
        var e = Assert.Throws<InvalidOperationException>(() => SafetensorsWriter.WriteStreamed(dir.File("x.safetensors"), Layout(tensors),
            name => name == "b.weight" ? zeros(4, 3) : tensors[name].clone()));
        Assert.Contains("\"b.weight\"", e.Message);
        Assert.False(File.Exists(dir.File("x.safetensors")));
    }

    [Fact]
    public void Without_a_path_every_tensor_is_made_in_order_and_nothing_is_written()
    {
        var tensors = Tensors();
        var order = new List<string>();
        SafetensorsWriter.WriteStreamed(null, Layout(tensors), name => { order.Add(name); return tensors[name].clone(); });
        Assert.Equal(["a.weight", "b.weight", "c.half", "rng"], order);
    }
}
