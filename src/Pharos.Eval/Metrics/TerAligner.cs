// sacrebleu's TER edit counting (Tercom-like): greedy block shifts, then a beam-limited Levenshtein distance.
namespace Pharos.Eval.Metrics;

/// <summary>
/// Words are integer ids. Follows sacrebleu's lib_ter: shift candidates are ranked by (gain, length,
/// earliest start, earliest target); at most 1000 candidates per sentence, shifts of ≤ 10 words moved
/// ≤ 50 positions, edit distance computed in a band of ±25 around the length-scaled diagonal.
/// sacrebleu caches matrix rows between calls; that cache only saves time and is not reproduced.
/// </summary>
internal sealed class TerAligner
{
    const int MaxShiftSize = 10;
    const int MaxShiftDist = 50;
    const int BeamWidth = 25;
    const int MaxShiftCandidates = 1000;
    const int Infinity = 1_000_000_000;

    const byte OpNop = 0, OpSub = 1, OpIns = 2, OpDel = 3, OpUndef = 4;

    int[] _cost = [];
    byte[] _ops = [];
    byte[] _trace = [];

    /// <summary>(number of edits, reference length) for one hypothesis/reference pair.</summary>
    public (int Edits, int RefLength) EditRate(int[] hyp, int[] reference)
    {
        if (reference.Length == 0)
            return (hyp.Length, 0);
        var shifts = 0;
        var input = hyp;
        var checkedCandidates = 0;
        while (true)
        {
            var (delta, shifted) = Shift(input, reference, ref checkedCandidates);
            if (checkedCandidates >= MaxShiftCandidates)
                break;
            if (delta <= 0)
                break;
            shifts++;
            input = shifted;
        }
        var distance = EditDistance(input, reference, out _);
        return (shifts + distance, reference.Length);
    }

    (int Delta, int[] Words) Shift(int[] h, int[] r, ref int checkedCount)
    {
        var checkedCandidates = checkedCount;
        var preScore = EditDistance(h, r, out var traceLength);
        // The trace rewrites the hypothesis into the reference; flipping insertions and deletions reads it
        // the other way, which is how the alignment below is defined.
        var align = new int[r.Length];
        var hypErr = new int[h.Length];
        var refErr = new int[r.Length];
        int posHyp = -1, posRef = -1;
        for (var t = 0; t < traceLength; t++)
        {
            var op = _trace[t];
            op = op == OpIns ? OpDel : op == OpDel ? OpIns : op;
            switch (op)
            {
                case OpNop:
                case OpSub:
                    posHyp++;
                    posRef++;
                    align[posRef] = posHyp;
                    if (op == OpSub)
                    {
                        hypErr[posHyp] = 1;
                        refErr[posRef] = 1;
                    }
                    break;
                case OpIns:
                    posHyp++;
                    hypErr[posHyp] = 1;
                    break;
                case OpDel:
                    posRef++;
                    align[posRef] = posHyp;
                    refErr[posRef] = 1;
                    break;
            }
        }

        var hasBest = false;
        int bestScore = 0, bestLength = 0, bestStart = 0, bestIdx = 0;
        int[]? bestWords = null;
        var nH = h.Length;
        var nR = r.Length;
        for (var startH = 0; startH < nH; startH++)
        {
            for (var startR = 0; startR < nR; startR++)
            {
                if (Math.Abs(startR - startH) > MaxShiftDist)
                    continue;
                var length = 0;
                while (h[startH + length] == r[startR + length] && length < MaxShiftSize)
                {
                    length++;
                    Consider(startH, startR, length);
                    if (nH == startH + length || nR == startR + length)
                        break;
                }
                if (checkedCandidates >= MaxShiftCandidates)
                    goto done;
            }
        }
    done:
        checkedCount = checkedCandidates;
        return hasBest ? (bestScore, bestWords!) : (0, h);

        void Consider(int startH, int startR, int length)
        {
            if (!AnyError(hypErr, startH, length) || !AnyError(refErr, startR, length))
                return;
            if (startH <= align[startR] && align[startR] < startH + length)
                return;
            var prevIdx = -1;
            for (var offset = -1; offset < length; offset++)
            {
                int idx;
                if (startR + offset == -1)
                    idx = 0;
                else if (startR + offset < align.Length)
                    idx = align[startR + offset] + 1;
                else
                    break;
                if (idx == prevIdx)
                    continue;
                prevIdx = idx;
                var shifted = PerformShift(h, startH, length, idx);
                var gain = preScore - EditDistance(shifted, r, out _);
                checkedCandidates++;
                // Tuple order of sacrebleu's candidates: higher gain, longer, earlier start, earlier target.
                if (!hasBest || gain > bestScore || (gain == bestScore && (length > bestLength
                    || (length == bestLength && (-startH > -bestStart || (startH == bestStart && -idx > -bestIdx))))))
                {
                    hasBest = true;
                    bestScore = gain;
                    bestLength = length;
                    bestStart = startH;
                    bestIdx = idx;
                    bestWords = shifted;
                }
            }
        }
    }

    static bool AnyError(int[] errors, int start, int length)
    {
        var end = Math.Min(errors.Length, start + length);
        for (var i = start; i < end; i++)
            if (errors[i] != 0)
                return true;
        return false;
    }

    // Python list slicing semantics (bounds clipped), including sacrebleu's "shift within the block" case.
    static int[] PerformShift(int[] words, int start, int length, int target)
    {
        var result = new List<int>(words.Length);
        void Add(int from, int to)
        {
            from = Math.Clamp(from, 0, words.Length);
            to = Math.Clamp(to, 0, words.Length);
            for (var i = from; i < to; i++)
                result.Add(words[i]);
        }
        if (target < start)
        {
            Add(0, target);
            Add(start, start + length);
            Add(target, start);
            Add(start + length, words.Length);
        }
        else if (target > start + length)
        {
            Add(0, start);
            Add(start + length, target);
            Add(start, start + length);
            Add(target, words.Length);
        }
        else
        {
            Add(0, start);
            Add(start + length, length + target);
            Add(start, start + length);
            Add(length + target, words.Length);
        }
        return [.. result];
    }

    /// <summary>Beam-limited Levenshtein distance; the trace (hypothesis → reference ops) is left in _trace.</summary>
    int EditDistance(int[] h, int[] r, out int traceLength)
    {
        var nH = h.Length;
        var nR = r.Length;
        var cols = nR + 1;
        var cells = (nH + 1) * cols;
        if (_cost.Length < cells)
        {
            _cost = new int[cells];
            _ops = new byte[cells];
        }
        for (var j = 0; j <= nR; j++)
        {
            _cost[j] = j;
            _ops[j] = OpIns;
        }
        _cost.AsSpan(cols, cells - cols).Fill(Infinity);
        _ops.AsSpan(cols, cells - cols).Fill(OpUndef);

        var lengthRatio = nH > 0 ? (double)nR / nH : 1.0;
        var beamWidth = BeamWidth < lengthRatio / 2 ? (int)Math.Ceiling(lengthRatio / 2 + BeamWidth) : BeamWidth;
        for (var i = 1; i <= nH; i++)
        {
            var pseudoDiag = (int)Math.Floor(i * lengthRatio);
            var minJ = Math.Max(0, pseudoDiag - beamWidth);
            var maxJ = Math.Min(nR + 1, pseudoDiag + beamWidth);
            if (i == nH)
                maxJ = nR + 1;
            var row = i * cols;
            var prev = row - cols;
            for (var j = minJ; j < maxJ; j++)
            {
                if (j == 0)
                {
                    _cost[row] = _cost[prev] + 1;
                    _ops[row] = OpDel;
                    continue;
                }
                int best = _cost[row + j];
                byte op = _ops[row + j];
                var sub = _cost[prev + j - 1] + (h[i - 1] == r[j - 1] ? 0 : 1);
                if (best > sub)
                {
                    best = sub;
                    op = h[i - 1] == r[j - 1] ? OpNop : OpSub;
                }
                var del = _cost[prev + j] + 1;
                if (best > del)
                {
                    best = del;
                    op = OpDel;
                }
                var ins = _cost[row + j - 1] + 1;
                if (best > ins)
                {
                    best = ins;
                    op = OpIns;
                }
                _cost[row + j] = best;
                _ops[row + j] = op;
            }
        }

        if (_trace.Length < nH + nR)
            _trace = new byte[(nH + nR) * 2];
        // Walk back from the corner, then reverse into forward order.
        var count = 0;
        int a = nH, b = nR;
        while (a > 0 || b > 0)
        {
            var op = _ops[a * cols + b];
            _trace[count++] = op;
            switch (op)
            {
                case OpNop:
                case OpSub:
                    a--;
                    b--;
                    break;
                case OpIns:
                    b--;
                    break;
                case OpDel:
                    a--;
                    break;
                default:
                    throw new InvalidOperationException("TER: edit distance trace reached an unset cell");
            }
        }
        Array.Reverse(_trace, 0, count);
        traceLength = count;
        return _cost[nH * cols + nR];
    }
}
