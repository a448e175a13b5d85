using System.Net;
using System.Net.Http.Json;
using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Heurist.Contracts.Crypto;
using Heurist.Contracts.LocalChain;
using Heurist.Portal.Server.Tests.Features.ChainIndexing;
using Heurist.Protocol.Api.Governance;
using Heurist.Protocol.Governance;
using Heurist.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Signer;

namespace Heurist.Portal.Server.Tests.Features.Governance;

/// <summary>
/// A portal on the shared anvil chain for the governance tests: a proposal threshold of <see cref="Threshold"/> tokens,
/// <see cref="Admin"/> in Portal:Admins, and a clock the test sets (the hub's time, not the chain's). Voters are fresh
/// keys funded from the treasury, so no test sees another's power.
/// </summary>
public sealed class GovernancePortal(PostgresFixture postgres, DeployedChainFixture chain) : IAsyncLifetime
{
    public const decimal Threshold = 10m;

    public const string Space = "heurist.eth";

    public static readonly BigInteger Token = ChainActors.Heu;

    /// <summary>Dev account 9: an admin of the portal, who may cancel any proposal.</summary>
    public static readonly EthECKey Admin = AnvilAccounts.Key(9);

    private PortalApp? _app;
    private WebApplicationFactory<PortalOptions>? _factory;

    public SettableClock Clock { get; } = new(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));

    internal ChainActors Actors { get; } = new(chain.Rpc, chain.Manifest);

    public DeployedChainFixture Chain => chain;

    public PortalApp App => _app ?? throw new InvalidOperationException("The portal has not started.");

    public WebApplicationFactory<PortalOptions> Factory => _factory ?? throw new InvalidOperationException("The portal has not started.");

    public HttpClient Http { get; private set; } = default!;

    /// <summary>More settings before the start, for a subclass of tests that needs them.</summary>
    public Dictionary<string, string> Settings { get; } = [];

    /// <summary>Listens on a real port (Kestrel) when set before the start, for clients outside the process.</summary>
    public int? KestrelPort { get; set; }

    /// <summary>Keeps the system's clock instead of <see cref="Clock"/>, for clients that stamp messages with theirs.</summary>
    public bool SystemClock { get; set; }

    public long Now => Clock.GetUtcNow().ToUnixTimeSeconds();

    public async ValueTask InitializeAsync()
    {
        _app = new PortalApp(postgres, chain);
        await _app.InitializeAsync();
        _app.Settings["Governance:ProposalThreshold"] = Threshold.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _app.Settings["Governance:Space"] = Space;
        _app.Settings["Portal:Admins:0"] = Admin.Address;
        foreach (var (key, value) in Settings)
        {
            _app.Settings[key] = value;
        }
        _factory = SystemClock ? _app : _app.WithWebHostBuilder(builder => builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock)));
        if (KestrelPort is { } port)
        {
            _factory.UseKestrel(port);
            _factory.StartServer();
        }
        Http = _factory.CreateClient();
    }

    public async ValueTask DisposeAsync()
    {
        Http?.Dispose();
        if (_factory is not null && _factory != _app)
        {
            await _factory.DisposeAsync();
        }
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    /// <summary>A new account with ETH for gas and <paramref name="tokens"/> HEU.</summary>
    public Task<EthECKey> NewAccountAsync(int tokens) => GovernanceTreasury.NewAccountAsync(chain, tokens * Token);

    public async Task<long> LatestBlockAsync() => (long)(await chain.Rpc.Eth.Blocks.GetBlockNumber.SendRequestAsync()).Value;

    /// <summary>What eth_signTypedData_v4 gives for the message, as a wallet signs it.</summary>
    public static string Signature(EthECKey key, SnapshotMessageKind kind, JsonObject message)
        => Signatures.Sign(key, TypedDataJson.Hash(SnapshotTypes.TypedData(kind, message))).ToHex(true);

    /// <summary>The envelope snapshot.js posts for <paramref name="message"/>, signed by <paramref name="key"/> for <paramref name="address"/> (its own by default).</summary>
    public static string Envelope(EthECKey key, SnapshotMessageKind kind, JsonObject message, string? address = null)
        => SnapshotTypes.Envelope(address ?? key.Address, Signature(key, kind, message), kind, message);

    public JsonObject Proposal(
        EthECKey author, string type, string[] choices, long snapshot, long? start = null, long? end = null, string plugins = "{}",
        string body = "Which way?", string title = "A question", string? from = null) => new()
    {
        ["from"] = from ?? author.Address,
        ["space"] = Space,
        ["timestamp"] = Now,
        ["type"] = type,
        ["title"] = title,
        ["body"] = body,
        ["discussion"] = "",
        ["choices"] = new JsonArray([.. choices.Select(c => (JsonNode)c)]),
        ["labels"] = new JsonArray(),
        ["start"] = start ?? Now,
        ["end"] = end ?? Now + 3600,
        ["snapshot"] = snapshot,
        ["plugins"] = plugins,
        ["privacy"] = "",
        ["app"] = "heurist",
    };

    public JsonObject Vote(EthECKey voter, string proposal, JsonNode choice, long? timestamp = null, string reason = "", string? from = null) => new()
    {
        ["from"] = from ?? voter.Address,
        ["space"] = Space,
        ["timestamp"] = timestamp ?? Now,
        ["proposal"] = proposal,
        ["choice"] = choice,
        ["reason"] = reason,
        ["app"] = "heurist",
        ["metadata"] = "{}",
    };

    public JsonObject Cancel(EthECKey from, string proposal) => new()
    {
        ["from"] = from.Address,
        ["space"] = Space,
        ["timestamp"] = Now,
        ["proposal"] = proposal,
    };

    public async Task<HttpResponseMessage> PostAsync(string envelope)
        => await Http.PostAsync("/" + GovernanceRoutes.Message, new StringContent(envelope, Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

    /// <summary>Posts and expects the hub's receipt.</summary>
    public async Task<HubReceipt> AcceptedAsync(string envelope)
    {
        using var response = await PostAsync(envelope);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        var receipt = JsonSerializer.Deserialize<HubReceipt>(body)!;
        Assert.Matches("^0x[0-9a-f]{64}$", receipt.Id);
        return receipt;
    }

    public Task<HubReceipt> AcceptedAsync(EthECKey key, SnapshotMessageKind kind, JsonObject message) => AcceptedAsync(Envelope(key, kind, message));

    /// <summary>Posts, expects a refusal in the sequencer's shape whose description starts with <paramref name="reason"/>, and that nothing was stored.</summary>
    public async Task<string> RefusedAsync(string envelope, string reason, HttpStatusCode status = HttpStatusCode.BadRequest)
    {
        var before = await CountStoredAsync();
        using var response = await PostAsync(envelope);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        var error = JsonSerializer.Deserialize<HubError>(body);
        Assert.NotNull(error);
        Assert.Equal((int)status < 500 ? "client_error" : "server_error", error.Error);
        Assert.StartsWith(reason, error.Description, StringComparison.Ordinal);
        Assert.Equal(before, await CountStoredAsync());
        return error.Description;
    }

    public Task<string> RefusedAsync(EthECKey key, SnapshotMessageKind kind, JsonObject message, string reason)
        => RefusedAsync(Envelope(key, kind, message), reason);

    /// <summary>How many messages, proposals and votes are stored, and how many proposals are cancelled.</summary>
    public async Task<(int Messages, int Proposals, int Votes, int Cancelled)> CountStoredAsync()
    {
        await using var db = PostgresFixture.CreateContext(App.ConnectionString);
        return (await db.GovernanceMessages.CountAsync(), await db.GovernanceProposals.CountAsync(), await db.GovernanceVotes.CountAsync(),
            await db.GovernanceProposals.CountAsync(p => p.CancelledAt != null));
    }

    /// <summary>A proposal by a new author with <paramref name="authorTokens"/> HEU, snapshot at the latest block; returns its id.</summary>
    public async Task<string> ProposeAsync(string type, string[] choices, int authorTokens = 100, string plugins = "{}", long? end = null)
    {
        var author = await NewAccountAsync(authorTokens);
        var snapshot = await LatestBlockAsync();
        return (await AcceptedAsync(author, SnapshotMessageKind.Proposal, Proposal(author, type, choices, snapshot, end: end, plugins: plugins))).Id;
    }

    public async Task<ProposalView> ProposalAsync(string id)
        => (await Http.GetFromJsonAsync<ProposalView>("/" + GovernanceRoutes.Proposal(id), JsonSerializerOptions.Web, TestContext.Current.CancellationToken))!;

    public async Task<VotesPage> VotesAsync(string id, int page = 1, int pageSize = VotesPage.DefaultPageSize)
        => (await Http.GetFromJsonAsync<VotesPage>("/" + GovernanceRoutes.Votes(id, page, pageSize), JsonSerializerOptions.Web, TestContext.Current.CancellationToken))!;
}

/// <summary>A clock the test moves; timers stay the system's, so the portal's background services keep running.</summary>
public sealed class SettableClock(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}
