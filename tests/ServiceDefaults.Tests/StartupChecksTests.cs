using System.ComponentModel.DataAnnotations;

namespace Heurist.ServiceDefaults.Tests;

public sealed class StartupChecksTests
{
    private sealed class SampleOptions
    {
        [Range(1, 10, ErrorMessage = "Sample:Size must be between 1 and 10.")]
        public int Size { get; set; }
    }

    private sealed class StartRecorder : IHostedService
    {
        public bool Started { get; private set; }

        public Task StartAsync(CancellationToken cancellationToken)
        {
            Started = true;
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    [Fact]
    public async Task A_failing_check_is_reported_as_its_setting_and_reason()
    {
        var services = new ServiceCollection()
            .AddStartupCheck("Chain:RpcUrl", (_, _) => throw new InvalidOperationException("http://127.0.0.1:1/ is unreachable"))
            .BuildServiceProvider();

        Assert.Equal("Chain:RpcUrl: http://127.0.0.1:1/ is unreachable", await StartupChecks.FindFailureAsync(services, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Checks_run_in_order_and_the_first_failure_wins()
    {
        var ran = new List<string>();
        var services = new ServiceCollection()
            .AddStartupCheck("First", (_, _) => { ran.Add("first"); return Task.CompletedTask; })
            .AddStartupCheck("Second", (_, _) => { ran.Add("second"); throw new InvalidOperationException("broken"); })
            .AddStartupCheck("Third", (_, _) => { ran.Add("third"); throw new InvalidOperationException("also broken"); })
            .BuildServiceProvider();

        var failure = await StartupChecks.FindFailureAsync(services, TestContext.Current.CancellationToken);

        Assert.Equal("Second: broken", failure);
        Assert.Equal(["first", "second"], ran);
    }

    [Fact]
    public async Task Passing_checks_report_no_failure()
    {
        var services = new ServiceCollection()
            .AddStartupCheck("Fine", (_, _) => Task.CompletedTask)
            .BuildServiceProvider();

        Assert.Null(await StartupChecks.FindFailureAsync(services, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Invalid_options_fail_before_any_check_with_the_message_that_names_the_key()
    {
        var checkRan = false;
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["Sample:Size"] = "99";
        builder.Services.AddOptions<SampleOptions>().BindConfiguration("Sample").ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddStartupCheck("Never", (_, _) => { checkRan = true; return Task.CompletedTask; });
        using var host = builder.Build();

        var failure = await StartupChecks.FindFailureAsync(host.Services, TestContext.Current.CancellationToken);

        Assert.NotNull(failure);
        Assert.Contains("Sample:Size must be between 1 and 10.", failure, StringComparison.Ordinal);
        Assert.False(checkRan);
    }

    [Fact]
    public async Task A_host_with_a_failing_check_prints_one_line_and_does_not_start()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton<StartRecorder>();
        builder.Services.AddHostedService(provider => provider.GetRequiredService<StartRecorder>());
        builder.Services.AddStartupCheck("ConnectionStrings:Portal", (_, _) => throw new InvalidOperationException("cannot connect to PostgreSQL at db:5432"));
        using var host = builder.Build();
        var originalError = Console.Error;
        using var captured = new StringWriter();
        Console.SetError(captured);
        bool passed;
        try
        {
            passed = await host.PassesStartupChecksAsync(TestContext.Current.CancellationToken);
        }
        finally
        {
            Console.SetError(originalError);
        }

        Assert.False(passed);
        Assert.Equal(["error: ConnectionStrings:Portal: cannot connect to PostgreSQL at db:5432"], captured.ToString().TrimEnd().Split(Environment.NewLine));
        Assert.False(host.Services.GetRequiredService<StartRecorder>().Started);
    }
}
