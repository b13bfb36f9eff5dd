// IFEval's two comparisons of a count against a threshold ("less than", "at least").
namespace Pharos.Eval.Verifiers;

public enum Relation { LessThan, AtLeast }

public static class RelationExtensions
{
    public static bool Holds(this Relation relation, int actual, int threshold) =>
        relation == Relation.LessThan ? actual < threshold : actual >= threshold;

    public static string Text(this Relation relation) => relation == Relation.LessThan ? "less than" : "at least";
}
