namespace Heurist.Protocol.Points;

/// <summary>
/// Waifu points for an image job (seed 004): 1 point is one 512×512 SD 1.5 image at 20 steps, before the
/// category multiplier. Below 20 steps or 512×512 pixels a job earns nothing, as does one slower than its deadline.
/// </summary>
public static class WaifuPoints
{
    public const int MinSteps = 20;

    public const long BasePixels = 512 * 512;

    private const long ReferencePixels = 1024 * 1024;

    /// <summary>1 at 512², 6 at 1024², linear in pixels and continuing past 1024².</summary>
    public static decimal Base(long pixels) => 1m + 5m * (pixels - BasePixels) / (ReferencePixels - BasePixels);

    public static decimal For(int width, int height, int steps, decimal multiplier, TimeSpan duration, TimeSpan deadline)
    {
        var pixels = (long)width * height;
        if (steps < MinSteps || pixels < BasePixels || duration > deadline)
        {
            return 0m;
        }
        return multiplier * Base(pixels) * steps / MinSteps;
    }
}

/// <summary>Llama points for a language job: 1 point is 1,000 input plus output tokens of Mixtral 8x7B.</summary>
public static class LlamaPoints
{
    public static decimal For(long inputTokens, long outputTokens, decimal multiplier)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(inputTokens);
        ArgumentOutOfRangeException.ThrowIfNegative(outputTokens);
        return multiplier * (inputTokens + outputTokens) / 1000m;
    }
}

/// <summary>
/// How much of its mining rewards a miner earns for the stake behind it: nothing below 10,000 (the node is
/// inactive), stake/100,000 from 10,000 to 100,000, and all of it above.
/// </summary>
public static class StakeEfficiency
{
    public const decimal MinimumStake = 10_000m;

    public const decimal FullStake = 100_000m;

    /// <param name="stake">Total HEU and esHEU staked on the miner, in whole tokens.</param>
    public static decimal For(decimal stake) => stake switch
    {
        < MinimumStake => 0m,
        >= FullStake => 1m,
        _ => stake / FullStake,
    };
}
