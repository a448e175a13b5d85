using System.Numerics;

namespace Heurist.Protocol.Rewards;

/// <summary>
/// Splits an integer amount over integer weights so that the parts add up to the amount exactly (the
/// largest-remainder method). Every level of an epoch's settlement (pools over miners, bribes over stakers) uses it.
/// </summary>
/// <remarks>
/// The rule: party i first gets floor(A·wᵢ / W), where W is the sum of the weights. The units still left (fewer than
/// the number of parties with a positive weight) go one each to the parties with the largest remainders
/// (A·wᵢ mod W), ties broken by key in ordinal order of the lowercased key, so the result does not depend on the
/// order of the parties. A party with weight 0 gets nothing, and each part is within one unit of the exact A·wᵢ / W.
/// </remarks>
public static class LargestRemainder
{
    /// <param name="amount">What to split; at least 0.</param>
    /// <param name="weights">One weight per party, each at least 0. Their sum must be positive when amount is.</param>
    /// <param name="keys">One key per party, distinct when lowercased: the tie-break.</param>
    /// <returns>The part of each party, in the order of <paramref name="weights"/>.</returns>
    public static BigInteger[] Split(BigInteger amount, IReadOnlyList<BigInteger> weights, IReadOnlyList<string> keys)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(keys);
        if (amount.Sign < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(amount), amount, "must be at least 0");
        }
        if (weights.Count != keys.Count)
        {
            throw new ArgumentException("needs one key per weight", nameof(keys));
        }

        var lowercaseKeys = new string[keys.Count];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var total = BigInteger.Zero;
        for (var i = 0; i < weights.Count; i++)
        {
            if (weights[i].Sign < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(weights), weights[i], $"weight {i} must be at least 0");
            }
            ArgumentNullException.ThrowIfNull(keys[i], nameof(keys));
            lowercaseKeys[i] = keys[i].ToLowerInvariant();
            if (!seen.Add(lowercaseKeys[i]))
            {
                throw new ArgumentException($"key '{keys[i]}' appears twice", nameof(keys));
            }
            total += weights[i];
        }

        var parts = new BigInteger[weights.Count];
        if (amount.IsZero)
        {
            return parts;
        }
        if (total.IsZero)
        {
            throw new ArgumentException("sum to 0, so nobody can receive the amount", nameof(weights));
        }

        var remainders = new BigInteger[weights.Count];
        var left = amount;
        for (var i = 0; i < weights.Count; i++)
        {
            parts[i] = BigInteger.DivRem(amount * weights[i], total, out remainders[i]);
            left -= parts[i];
        }

        var byRemainder = Enumerable.Range(0, weights.Count)
            .Where(i => weights[i].Sign > 0)
            .OrderByDescending(i => remainders[i])
            .ThenBy(i => lowercaseKeys[i], StringComparer.Ordinal);
        foreach (var i in byRemainder.Take((int)left))
        {
            parts[i] += 1;
        }
        return parts;
    }
}
