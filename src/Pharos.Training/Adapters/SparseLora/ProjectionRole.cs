// Which projection of a decoder layer an adapter sits on: decides whose channels it uses and whether it slices outputs or inputs.
namespace Pharos.Training.Adapters.SparseLora;

public enum ProjectionRole { Query, Key, Value, Output, Gate, Up, Down }

public static class ProjectionRoles
{
    /// <summary>o_proj and down_proj read a sparse input (their partners' zeroed channels) and slice weight columns; the rest slice output rows.</summary>
    public static bool SlicesInput(this ProjectionRole role) => role is ProjectionRole.Output or ProjectionRole.Down;

    public static ProjectionRole? FromName(string projection) => projection switch
    {
        "q_proj" => ProjectionRole.Query,
        "k_proj" => ProjectionRole.Key,
        "v_proj" => ProjectionRole.Value,
        "o_proj" => ProjectionRole.Output,
        "gate_proj" => ProjectionRole.Gate,
        "up_proj" => ProjectionRole.Up,
        "down_proj" => ProjectionRole.Down,
        _ => null,
    };
}
