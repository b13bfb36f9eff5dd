// Python float formatting: f"{x:.Nf}" (exact binary value, ties to even) and repr() (shortest round-trip).
using System.Globalization;
using System.Numerics;

namespace Pharos.Eval.Metrics.Text;

public static class PythonFormat
{
    /// <summary>f"{x:.{digits}f}". .NET's "F" format rounds exact ties away from zero (0.125 → "0.13"); Python gives "0.12".</summary>
    public static string Fixed(double x, int digits)
    {
        if (double.IsNaN(x))
            return "nan";
        if (double.IsInfinity(x))
            return x > 0 ? "inf" : "-inf";
        var negative = x < 0 || (x == 0 && double.IsNegative(x));
        var bits = BitConverter.DoubleToInt64Bits(Math.Abs(x));
        var exponent = (int)((bits >> 52) & 0x7FF);
        var mantissa = bits & 0xFFFFFFFFFFFFFL;
        if (exponent == 0)
            exponent = 1;
        else
            mantissa |= 1L << 52;
        exponent -= 1075;
        // value = mantissa * 2^exponent; scaled = value * 10^digits, rounded half to even.
        BigInteger scaled;
        var numerator = new BigInteger(mantissa) * BigInteger.Pow(10, digits);
        if (exponent >= 0)
            scaled = numerator << exponent;
        else
        {
            var denominator = BigInteger.One << -exponent;
            scaled = BigInteger.DivRem(numerator, denominator, out var remainder);
            var twice = remainder * 2;
            var cmp = twice.CompareTo(denominator);
            if (cmp > 0 || (cmp == 0 && !scaled.IsEven))
                scaled += 1;
        }
        var s = scaled.ToString(CultureInfo.InvariantCulture);
        if (digits > 0)
        {
            if (s.Length <= digits)
                s = new string('0', digits - s.Length + 1) + s;
            s = s[..^digits] + "." + s[^digits..];
        }
        return negative ? "-" + s : s;
    }

    /// <summary>repr(float): shortest round-trip digits, "100.0" for integral values, exponent form outside 1e-4 ≤ |x| &lt; 1e16.</summary>
    public static string Repr(double x)
    {
        if (double.IsNaN(x))
            return "nan";
        if (double.IsInfinity(x))
            return x > 0 ? "inf" : "-inf";
        var r = x.ToString("R", CultureInfo.InvariantCulture);
        if (r.Contains('E'))
        {
            // .NET: 1E-05, 1.5E+16 → Python: 1e-05, 1.5e+16
            var parts = r.Split('E');
            var exp = int.Parse(parts[1], CultureInfo.InvariantCulture);
            var abs = Math.Abs(x);
            if (abs >= 1e-4 && abs < 1e16)
                return x.ToString("0.0###################", CultureInfo.InvariantCulture);
            return $"{parts[0]}e{(exp < 0 ? "-" : "+")}{Math.Abs(exp):00}";
        }
        if (Math.Abs(x) >= 1e16)
        {
            var e = x.ToString("E16", CultureInfo.InvariantCulture);
            return Repr(double.Parse(e, CultureInfo.InvariantCulture));
        }
        return r.Contains('.') ? r : r + ".0";
    }
}
