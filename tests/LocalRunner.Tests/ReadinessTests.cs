using Heurist.Testing;

namespace Heurist.LocalRunner.Tests;

public sealed class ReadinessTests
{
    [Fact]
    public async Task The_wait_ends_as_soon_as_the_condition_holds()
    {
        var checks = 0;

        await Readiness.WaitUntilAsync(() => Task.FromResult(++checks == 3), [], TimeSpan.FromMinutes(1), TimeSpan.FromMilliseconds(1),
            TestContext.Current.CancellationToken);

        Assert.Equal(3, checks);
    }

    [Fact]
    public async Task A_condition_that_never_holds_times_out()
    {
        var error = await Assert.ThrowsAsync<TimeoutException>(() => Readiness.WaitUntilAsync(
            () => Task.FromResult(false), [], TimeSpan.Zero, cancellationToken: TestContext.Current.CancellationToken));

        Assert.StartsWith("Not ready within 0 s.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    [Integration]
    public async Task A_watched_process_that_exits_ends_the_wait_with_its_exit_code_and_output()
    {
        await using var runner = ChildProcess.StartDotnet(
            "runner", RepositoryPaths.BuiltAssembly("LocalRunner"), ["--Local:PortalPort=none"], new Dictionary<string, string>(), echo: false);

        var error = await Assert.ThrowsAsync<ChildProcessExitedException>(() => Readiness.WaitUntilAsync(
            () => Task.FromResult(false), [runner], TimeSpan.FromMinutes(1), cancellationToken: TestContext.Current.CancellationToken));

        Assert.Same(runner, error.Process);
        Assert.StartsWith("The runner exited with code 1: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("error: Local:PortalPort: 'none' is not a port number (0 to 65535)", error.Message, StringComparison.Ordinal);
    }
}
