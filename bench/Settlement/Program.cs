using Heurist.Bench.Settlement;

// bench/settlement.sh → "[--miners N] [--stakers N] [--seed N]".
try
{
    return SettlementBenchmark.Run(args);
}
catch (ArgumentException ex)
{
    await Console.Error.WriteLineAsync($"error: {ex.Message}");
    return 2;
}
