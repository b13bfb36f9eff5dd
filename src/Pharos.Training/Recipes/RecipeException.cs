// A recipe that cannot be used: the message starts with the YAML key (e.g. `train.lr`) it is about.
using Pharos.Models.Errors;

namespace Pharos.Training.Recipes;

public sealed class RecipeException : PharosException
{
    public RecipeException(string key, string message) : base($"recipe: {key}: {message}") => Key = key;

    public string Key { get; }
}
