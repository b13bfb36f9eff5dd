// A COMET checkpoint's tensors by name, from the Lightning pickle Unbabel publishes (checkpoints/model.ckpt, read with
// TorchSharp.PyBridge) or from a safetensors export of the same state_dict (model.safetensors).
using System.Collections;
using Pharos.Models.Errors;
using Pharos.Models.Safetensors;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Pharos.Eval.Comet;

public sealed class CometWeights : IDisposable
{
    /// <summary>
    /// Lightning pickles hyper-parameters as its AttributeDict (a dict subclass, under the module path of the Lightning
    /// version that saved it); read as plain dicts so their items can be filled in. Unknown classes stay ClassDicts.
    /// </summary>
    static CometWeights()
    {
        string[] modules = ["pytorch_lightning.utilities.parsing", "lightning_fabric.utilities.data", "lightning.fabric.utilities.data"];
        foreach (var module in modules)
            Razorvine.Pickle.Unpickler.registerConstructor(module, "AttributeDict", new PlainDictionary());
        Razorvine.Pickle.Unpickler.registerConstructor("collections", "defaultdict", new PlainDictionary());
    }

    sealed class PlainDictionary : Razorvine.Pickle.IObjectConstructor
    {
        public object construct(object[] args) => new Hashtable();
    }

    readonly Dictionary<string, Tensor>? _pickled;
    readonly SafetensorsCheckpoint? _safetensors;

    CometWeights(string source, Dictionary<string, Tensor>? pickled, SafetensorsCheckpoint? safetensors)
    {
        Source = source;
        _pickled = pickled;
        _safetensors = safetensors;
        Shapes = pickled is not null
            ? pickled.ToDictionary(kv => kv.Key, kv => kv.Value.shape, StringComparer.Ordinal)
            : safetensors!.Names.ToDictionary(n => n, n => safetensors.Info(n).Shape, StringComparer.Ordinal);
    }

    public string Source { get; }
    public IReadOnlyDictionary<string, long[]> Shapes { get; }

    public static CometWeights Open(string path) =>
        path.EndsWith(".safetensors", StringComparison.Ordinal) ? OpenSafetensors(path) : OpenLightning(path);

    static CometWeights OpenSafetensors(string path)
    {
        try
        {
            return new CometWeights(path, null, SafetensorsCheckpoint.Open(path));
        }
        catch (SafetensorsFormatException e)
        {
            throw new InvalidModelException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>A Lightning checkpoint is a pickled dict whose "state_dict" maps parameter names to tensors.</summary>
    static CometWeights OpenLightning(string path)
    {
        Hashtable top;
        try
        {
            top = PyTorchUnpickler.UnpickleStateDict(path);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidModelException($"{path}: not a PyTorch checkpoint that Pharos can read ({e.GetType().Name}: {e.Message}); " +
                "convert it once with COMET's Python code to safetensors (see docs/COMET.md)", e);
        }
        if (top["state_dict"] is not IDictionary stateDict)
        {
            DisposeTensors(top);
            throw new InvalidModelException($"{path}: no 'state_dict' in the checkpoint (keys: {string.Join(", ", top.Keys.Cast<object>().Take(10))})");
        }
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in stateDict)
            if (entry.Value is Tensor t) tensors[entry.Key.ToString()!] = t;
        foreach (DictionaryEntry entry in top)
            if (!ReferenceEquals(entry.Value, stateDict)) DisposeTensors(entry.Value);
        return new CometWeights(path, tensors, null);
    }

    static void DisposeTensors(object? value)
    {
        switch (value)
        {
            case Tensor t: t.Dispose(); break;
            case IDictionary d: foreach (DictionaryEntry e in d) DisposeTensors(e.Value); break;
            case IEnumerable list and not string: foreach (var item in list) DisposeTensors(item); break;
        }
    }

    /// <summary>The tensor converted to the given dtype and device (a new tensor the caller disposes).</summary>
    public Tensor Load(string name, ScalarType dtype, Device device)
    {
        if (_pickled is not null)
            return _pickled[name].to(dtype, device, copy: true);
        return _safetensors!.Load(name, dtype, device);
    }

    public void Dispose()
    {
        if (_pickled is not null)
            foreach (var t in _pickled.Values) t.Dispose();
        _safetensors?.Dispose();
    }
}
