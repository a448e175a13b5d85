using System.Runtime.InteropServices;
using Heurist.Bench.Governance;
using Heurist.Bench.Portal;

// bench/governance.sh → key=value lines: tally.ms, votes.ingest_per_s with baseline.rps, allocation.*.
using var stopping = new CancellationTokenSource();
void OnSignal(PosixSignalContext context)
{
    context.Cancel = true;
    stopping.Cancel();
}
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
try
{
    var options = Arguments.Read(args, ["--votes", "--connections"]);
    var votes = Arguments.Positive(options, "--votes", 10_000);
    var connections = Arguments.Positive(options, "--connections", 16);

    TallyBenchmark.Run();
    await using var stack = await GovernanceStack.StartAsync();
    var ingested = await IngestBenchmark.RunAsync(stack, votes, connections, stopping.Token);
    var settled = await AllocationBenchmark.RunAsync(stack, stopping.Token);
    if (stack.Portal.HasExited)
    {
        await Console.Error.WriteLineAsync($"FAILED: the portal exited with code {stack.Portal.ExitCode}: {stack.Portal.RecentOutput}");
        return 1;
    }
    return ingested && settled ? 0 : 1;
}
catch (ArgumentException ex)
{
    await Console.Error.WriteLineAsync($"error: {ex.Message}");
    return 2;
}
catch (OperationCanceledException) when (stopping.IsCancellationRequested)
{
    await Console.Error.WriteLineAsync("Stopped.");
    return 130;
}
