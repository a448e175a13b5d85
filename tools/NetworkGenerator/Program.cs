using System.Runtime.InteropServices;
using Heurist.NetworkGenerator;

// Ctrl-C stops the generator between miners; the COPY in progress is rolled back.
using var stopping = new CancellationTokenSource();
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
{
    context.Cancel = true;
    stopping.Cancel();
});
return await GeneratorCommand.RunAsync(args, Console.Out, Console.Error, stopping.Token);
