// A curation recipe, language table or option that cannot be used; the message names the key.
namespace Pharos.Curation.Errors;

public sealed class RecipeException : CurationException
{
    public RecipeException(string message) : base(message) { }
}
