using Heurist.Bench.Settlement;

// bench/settlement.sh → "[--miners N] [--stakers N] [--seed N] [--events N]".
try
{
    return await SettlementBenchmark.RunAsync(args);
}
catch (ArgumentException ex)
{
    await Console.Error.WriteLineAsync($"error: {ex.Message}");
    return 2;
}
