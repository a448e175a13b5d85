using System.Runtime.InteropServices;
using Heurist.Bench.Auth;

// bench/auth.sh → "<repository root> [--duration S] [--connections N] [--verifications N]".
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
    return await AuthBenchmark.RunAsync(args.Length > 0 ? args[0] : Directory.GetCurrentDirectory(), args.Skip(1).ToList(), stopping.Token);
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
