using System.Runtime.InteropServices;
using Heurist.Bench.Portal;

// bench/portal.sh → "<repository root> [--jobs N] [--miners N] [--duration S] [--warmup S]": the whole benchmark.
// "load --url …" is the load client, which the benchmark starts as a process of its own.
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
    return args is ["load", .. var rest]
        ? await LoadClient.RunAsync(LoadSettings.Parse(rest), stopping.Token)
        : await PortalBenchmark.RunAsync(args.Length > 0 ? args[0] : Directory.GetCurrentDirectory(), args.Skip(1).ToList(), stopping.Token);
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
