using Microsoft.Extensions.Configuration;

namespace Heurist.LocalRunner.Tests;

public sealed class LocalSettingsTests
{
    private const string Root = "/repo";

    private static LocalSettings Read(params (string Key, string Value)[] values)
        => LocalSettings.From(
            new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build(),
            Root);

    [Fact]
    public void Nothing_configured_gives_the_documented_defaults()
    {
        var settings = Read();

        Assert.Null(settings.ConnectionString);
        Assert.Null(settings.ChainRpcUrl);
        Assert.Null(settings.ChainManifestPath);
        Assert.Equal("/repo/.data", settings.DataDirectory);
        Assert.Equal("127.0.0.1", settings.Host);
        Assert.Equal(5080, settings.PortalPort);
        Assert.Equal(0, settings.PostgresPort);
        Assert.Equal(8545, settings.AnvilPort);
        Assert.Null(settings.WorkerRewardAddress);
        Assert.Null(settings.WorkerModelsPath);
        Assert.Equal(RepositoryPaths.Configuration, settings.Configuration);
        Assert.Equal("cpu", settings.WorkerOnnxRuntime);
    }

    [Theory]
    [InlineData("gpu", "gpu")]
    [InlineData("GPU", "gpu")]
    [InlineData("cpu", "cpu")]
    [InlineData(" ", "cpu")]
    public void The_workers_onnx_runtime_build_is_cpu_or_gpu(string configured, string expected)
        => Assert.Equal(expected, Read(("Local:WorkerOnnxRuntime", configured)).WorkerOnnxRuntime);

    [Fact]
    public void Another_onnx_runtime_build_is_refused_naming_its_key()
    {
        var error = Assert.Throws<LocalSetupException>(() => Read(("Local:WorkerOnnxRuntime", "cuda")));

        Assert.Equal("Local:WorkerOnnxRuntime: 'cuda' is neither cpu nor gpu", error.Message);
    }

    [Fact]
    public void Blank_values_count_as_not_set()
    {
        var settings = Read(
            ("ConnectionStrings:Portal", " "), ("Chain:RpcUrl", ""), ("Chain:ManifestPath", " "), ("Local:Host", ""),
            ("Local:PortalPort", " "), ("Worker:RewardAddress", ""), ("Worker:ModelsPath", " "), ("Local:Configuration", ""));

        Assert.Null(settings.ConnectionString);
        Assert.Null(settings.ChainRpcUrl);
        Assert.Null(settings.ChainManifestPath);
        Assert.Equal("127.0.0.1", settings.Host);
        Assert.Equal(5080, settings.PortalPort);
        Assert.Null(settings.WorkerRewardAddress);
        Assert.Null(settings.WorkerModelsPath);
        Assert.Equal(RepositoryPaths.Configuration, settings.Configuration);
    }

    [Theory]
    [InlineData("data", "/repo/data")]
    [InlineData("../elsewhere", "/elsewhere")]
    [InlineData("/var/heurist", "/var/heurist")]
    public void A_relative_data_directory_is_taken_from_the_repository_root(string configured, string expected)
        => Assert.Equal(expected, Read(("Local:DataDirectory", configured)).DataDirectory);

    [Fact]
    public void Configured_values_are_read_from_their_keys()
    {
        var settings = Read(
            ("ConnectionStrings:Portal", "Host=db;Username=u;Database=d"), ("Chain:RpcUrl", "https://rpc.example/"),
            ("Chain:ManifestPath", "/etc/heurist/deployment.json"), ("Local:Host", "0.0.0.0"), ("Local:PortalPort", "0"),
            ("Local:PostgresPort", "5433"), ("Local:AnvilPort", "65535"), ("Worker:RewardAddress", "0xabc"),
            ("Worker:ModelsPath", "/models"), ("Local:Configuration", "Debug"));

        Assert.Equal("Host=db;Username=u;Database=d", settings.ConnectionString);
        Assert.Equal("https://rpc.example/", settings.ChainRpcUrl);
        Assert.Equal("/etc/heurist/deployment.json", settings.ChainManifestPath);
        Assert.Equal("0.0.0.0", settings.Host);
        Assert.Equal(0, settings.PortalPort);
        Assert.Equal(5433, settings.PostgresPort);
        Assert.Equal(65535, settings.AnvilPort);
        Assert.Equal("0xabc", settings.WorkerRewardAddress);
        Assert.Equal("/models", settings.WorkerModelsPath);
        Assert.Equal("Debug", settings.Configuration);
    }

    [Fact]
    public void A_relative_manifest_path_is_made_absolute()
        => Assert.Equal(Path.GetFullPath("deployment.json"), Read(("Chain:ManifestPath", "deployment.json")).ChainManifestPath);

    [Theory]
    [InlineData("PortalPort", "eighty")]
    [InlineData("PostgresPort", "-1")]
    [InlineData("AnvilPort", "65536")]
    [InlineData("PortalPort", "80.5")]
    public void A_port_that_is_not_a_port_number_is_refused_naming_its_key(string key, string value)
    {
        var error = Assert.Throws<LocalSetupException>(() => Read(($"Local:{key}", value)));

        Assert.Equal($"Local:{key}", error.Setting);
        Assert.Equal($"Local:{key}: '{value}' is not a port number (0 to 65535)", error.Message);
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("portal.example")]
    public void A_host_that_is_not_an_ip_address_is_refused_naming_Local_Host(string host)
    {
        var error = Assert.Throws<LocalSetupException>(() => Read(("Local:Host", host)));

        Assert.Equal($"Local:Host: '{host}' is not an IP address (for example 127.0.0.1 or 0.0.0.0)", error.Message);
    }
}
