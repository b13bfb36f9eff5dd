// IFEval's two scoring modes: strict checks the response as is; loose also tries seven trimmed variants.
namespace Pharos.Eval.Verifiers.IfEval;

public enum IfEvalMode { Strict, Loose }
