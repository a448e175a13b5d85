using Heurist.ServiceDefaults;
using Heurist.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Heurist.Inference.Worker.Tests;

public sealed class WorkerOptionsTests(PostgresFixture postgres, TinyModelsFixture tiny)
{
    [Theory]
    [InlineData("Worker:RewardAddress", "", "Worker:RewardAddress is required.")]
    [InlineData("Worker:RewardAddress", "0x1234", "Worker:RewardAddress must be an Ethereum address")]
    [InlineData("Worker:MinerId", "Not Valid", "Worker:MinerId may contain only lowercase letters")]
    [InlineData("Worker:Queues:0", "Bad Queue", "Worker:Queues: 'Bad Queue' may contain only")]
    [InlineData("Worker:Queues:0", "settlement", "Worker:Queues: 'settlement' is the portal's own queue")]
    [InlineData("Worker:HeartbeatSeconds", "0", "Worker:HeartbeatSeconds must be between 1 and 60.")]
    [InlineData("Worker:Concurrency", "100", "Worker:Concurrency must be between 1 and 64.")]
    [InlineData("Worker:DrainSeconds", "0", "Worker:DrainSeconds must be between 1 and 3600.")]
    [InlineData("Worker:Device", "gpu", "Worker:Device must be auto, cuda or cpu.")]
    [InlineData("Worker:Device", "1", "Worker:Device must be auto, cuda or cpu.")]
    [InlineData("Worker:CudaDeviceId", "-1", "Worker:CudaDeviceId must be between 0 and 63.")]
    [InlineData("Worker:Cuda:ConvAlgoSearch", "fastest", "Worker:Cuda:ConvAlgoSearch must be one of EXHAUSTIVE, HEURISTIC, DEFAULT.")]
    [InlineData("Worker:Cuda:MemoryLimitMb", "-1", "Worker:Cuda:MemoryLimitMb must be between 0 (no limit) and 1048576.")]
    [InlineData("Worker:Device", "cuda", "Worker:Device: set to cuda, but CUDA cannot be used: this build of ONNX Runtime has no CUDA provider")]
    public async Task A_bad_setting_stops_the_worker_with_a_message_naming_the_key(string key, string value, string message)
    {
        using var host = TestWorkerHost.Build("Host=127.0.0.1;Port=1;Username=x;Database=x", new Dictionary<string, string?> { [key] = value });

        var failure = await StartupChecks.FindFailureAsync(host.Services, TestContext.Current.CancellationToken);

        Assert.NotNull(failure);
        Assert.StartsWith(message, failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_connection_string_is_named()
    {
        using var host = TestWorkerHost.Build(connectionString: null);

        var failure = await StartupChecks.FindFailureAsync(host.Services, TestContext.Current.CancellationToken);

        Assert.StartsWith("ConnectionStrings:Portal is not set", failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_database_is_named_with_its_address()
    {
        var port = FreePort.Next();
        using var host = TestWorkerHost.Build($"Host=127.0.0.1;Port={port};Username=x;Database=x");

        var failure = await StartupChecks.FindFailureAsync(host.Services, TestContext.Current.CancellationToken);

        Assert.StartsWith($"ConnectionStrings:Portal: cannot connect to PostgreSQL at 127.0.0.1:{port}", failure, StringComparison.Ordinal);
    }

    [Integration]
    [Fact]
    public async Task A_database_without_the_portal_schema_is_refused()
    {
        using var host = TestWorkerHost.Build(await postgres.CreateEmptyDatabaseAsync("workernoschema"));

        var failure = await StartupChecks.FindFailureAsync(host.Services, TestContext.Current.CancellationToken);

        Assert.Contains("apply the migrations first", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void With_no_queues_configured_the_worker_serves_the_default_queue()
    {
        using var host = TestWorkerHost.Build("Host=h;Database=d");
        Assert.Equal(["default"], host.Services.GetRequiredService<IOptions<WorkerOptions>>().Value.Queues);
    }

    [Fact]
    public void Configured_queues_are_served_once_each()
    {
        using var host = TestWorkerHost.Build("Host=h;Database=d", new Dictionary<string, string?>
        {
            ["Worker:Queues:0"] = "default",
            ["Worker:Queues:1"] = "sd15",
            ["Worker:Queues:2"] = "default",
        });
        Assert.Equal(["default", "sd15"], host.Services.GetRequiredService<IOptions<WorkerOptions>>().Value.Queues);
    }

    [Integration]
    [Fact]
    public async Task A_model_that_is_not_in_the_catalog_stops_the_worker_naming_Worker_Models()
    {
        using var host = TestWorkerHost.Build(await postgres.CreateMigratedDatabaseAsync("workerunknownmodel"), new Dictionary<string, string?>
        {
            ["Worker:ModelsPath"] = tiny.Folder,
            ["Worker:Models:0"] = "midjourney",
        });

        var failure = await StartupChecks.FindFailureAsync(host.Services, TestContext.Current.CancellationToken);

        Assert.Equal("Worker:Models: 'midjourney' is not in the model catalog (it has sd15, sdxl, flux-dev)", failure);
    }

    [Integration]
    [Fact]
    public async Task Real_weights_the_device_cannot_hold_stop_the_worker_naming_the_memory()
    {
        // A copy of the Flux folder without its demo marker counts as real Flux weights, which need 24 GiB.
        var real = Path.Combine(Path.GetTempPath(), $"heurist-real-{Guid.NewGuid():N}");
        try
        {
            foreach (var file in Directory.EnumerateFiles(tiny.ModelFolder("flux-dev"), "*", SearchOption.AllDirectories))
            {
                var target = Path.Combine(real, "flux-dev", Path.GetRelativePath(tiny.ModelFolder("flux-dev"), file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
            }
            File.Delete(Path.Combine(real, "flux-dev", "heurist-model.json"));
            using var host = TestWorkerHost.Build(await postgres.CreateMigratedDatabaseAsync("workersmalldevice"), new Dictionary<string, string?>
            {
                ["Worker:ModelsPath"] = real,
            });
            var device = host.Services.GetRequiredService<Heurist.Inference.Worker.Device.DeviceInfo>();
            if (device.MemoryBytes >= 24L << 30)
            {
                Assert.Skip("This machine holds 24 GiB, so Flux fits.");
            }

            var failure = await StartupChecks.FindFailureAsync(host.Services, TestContext.Current.CancellationToken);

            Assert.StartsWith("Worker:Models: flux-dev needs 24 GiB of GPU memory, and this device", failure, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(real, recursive: true);
        }
    }
}
