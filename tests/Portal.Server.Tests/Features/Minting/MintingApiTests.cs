using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Heurist.Portal.Data.Minting;
using Heurist.Portal.Server.Tests.Features.Auth;
using Heurist.Protocol.Api.Minting;
using Heurist.Testing;
using Microsoft.EntityFrameworkCore;
using Nethereum.Signer;
using static Heurist.Portal.Server.Tests.Features.Minting.MintingPortal;

namespace Heurist.Portal.Server.Tests.Features.Minting;

/// <summary>
/// The gasless mint through the portal's API, with a real bundler (Alto) on the shared anvil: prepare, sign as the
/// wallet does, send, and follow to the indexed token; and every refusal, with a message and nothing lost.
/// </summary>
public sealed class MintingApiTests(PostgresFixture postgres, DeployedChainFixture chain) : IAsyncLifetime
{
    private PortalApp _portal = default!;

    public async ValueTask InitializeAsync() => _portal = await StartAsync(postgres, chain);

    public ValueTask DisposeAsync() => _portal.DisposeAsync();

    [Fact]
    public async Task A_first_mint_deploys_the_account_a_later_one_reuses_it_and_both_end_as_indexed_tokens_of_the_wallet()
    {
        var ct = TestContext.Current.CancellationToken;
        var wallet = EthECKey.GenerateKey();
        using var client = SignInClient.For(_portal);
        await client.SignInAsync(wallet, ct);
        var first = await SeedImageAsync(_portal, wallet.GetPublicAddress(), ct, """{"modelId":"sd15","seed":42}""");
        var later = await SeedImageAsync(_portal, wallet.GetPublicAddress(), ct);

        var (firstPreparation, firstHash) = await MintAsync(client, first, wallet, ct);
        var firstStatus = await FollowAsync(client, firstHash, ct);
        var (laterPreparation, laterHash) = await MintAsync(client, later, wallet, ct);
        var laterStatus = await FollowAsync(client, laterHash, ct);

        Assert.True(firstPreparation.DeploysAccount);
        Assert.False(laterPreparation.DeploysAccount);
        Assert.Equal(firstPreparation.Account, laterPreparation.Account);
        Assert.Equal((MintState.Indexed, NftTokenIds.FromImageSha256(first)), (firstStatus.State, firstStatus.TokenId));
        Assert.Equal(MintState.Indexed, laterStatus.State);
        Assert.NotNull(firstStatus.TransactionHash);
        Assert.Equal($"https://portal.example/{MintingRoutes.Metadata(firstPreparation.TokenId)}", firstPreparation.MetadataUri);

        var nft = await client.Http.GetFromJsonAsync<NftView>(MintingRoutes.Nft(firstStatus.TokenId), ct);
        Assert.Equal(wallet.GetPublicAddress().ToLowerInvariant(), nft!.Owner.ToLowerInvariant());
        Assert.Equal(firstPreparation.MetadataUri, nft.Uri);
        Assert.Contains("a lighthouse at dusk", nft.Metadata!.Description, StringComparison.Ordinal);
        Assert.Equal("42", nft.Metadata.Attributes.Single(a => a.TraitType == "Seed").Value);

        // The wallet never held ETH: the paymaster paid.
        Assert.Equal(0, (await chain.Rpc.Eth.GetBalance.SendRequestAsync(wallet.GetPublicAddress())).Value);
        var gallery = await client.Http.GetFromJsonAsync<WalletGallery>(MintingRoutes.Gallery(wallet.GetPublicAddress()), ct);
        Assert.Equal(new[] { first, later }.Order(StringComparer.Ordinal), gallery!.Minted.Select(n => n.ImageSha256).Order(StringComparer.Ordinal));
        Assert.Empty(gallery.Unminted);
        // The Studio shows the badge instead of the button.
        await using var db = PostgresFixture.CreateContext(_portal.ConnectionString);
        var jobId = await db.ImageJobs.Where(j => j.ImageSha256 == first).Select(j => j.Id).SingleAsync(ct);
        var job = await client.Http.GetFromJsonAsync<Heurist.Protocol.Api.Studio.ImageJobView>($"api/jobs/{jobId}", ct);
        Assert.Equal(firstStatus.TokenId, job!.MintedTokenId);
        Assert.False(MintRules.IsMintable(job));
    }

    [Fact]
    public async Task The_metadata_is_erc721_json_served_immutable_with_the_provenance_and_hashes_to_its_stored_key()
    {
        var ct = TestContext.Current.CancellationToken;
        var wallet = EthECKey.GenerateKey();
        using var client = SignInClient.For(_portal);
        await client.SignInAsync(wallet, ct);
        var sha256 = await SeedImageAsync(_portal, wallet.GetPublicAddress(), ct, """{"modelId":"sd15","seed":42,"pngSha256":"x"}""");
        var (preparation, hash) = await MintAsync(client, sha256, wallet, ct);
        Assert.Equal(MintState.Indexed, (await FollowAsync(client, hash, ct)).State);

        using var response = await client.Http.GetAsync(MintingRoutes.Metadata(preparation.TokenId), ct);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadAsStringAsync(ct);
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;

        Assert.Contains("immutable", response.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        Assert.StartsWith("https://portal.example/api/images/" + sha256, root.GetProperty("image").GetString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(root.GetProperty("name").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(root.GetProperty("description").GetString()));
        Assert.Contains(root.GetProperty("attributes").EnumerateArray(), a => a.GetProperty("trait_type").GetString() == "Model" && a.GetProperty("value").GetString() == "sd15");
        Assert.Equal(42, root.GetProperty("provenance").GetProperty("seed").GetInt32());
        await using var db = PostgresFixture.CreateContext(_portal.ConnectionString);
        var stored = await db.NftMetadataDocuments.SingleAsync(d => d.ImageSha256 == sha256, ct);
        Assert.Equal(stored.Sha256, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(body))));

        var etag = response.Headers.ETag!;
        using var again = new HttpRequestMessage(HttpMethod.Get, MintingRoutes.Metadata(preparation.TokenId));
        again.Headers.IfNoneMatch.Add(etag);
        using var notModified = await client.Http.SendAsync(again, ct);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
    }

    [Fact]
    public async Task A_second_mint_of_the_same_image_gets_409_with_the_token_and_someone_elses_image_gets_403()
    {
        var ct = TestContext.Current.CancellationToken;
        var wallet = EthECKey.GenerateKey();
        var stranger = EthECKey.GenerateKey();
        using var client = SignInClient.For(_portal);
        using var strangerClient = SignInClient.For(_portal);
        await client.SignInAsync(wallet, ct);
        await strangerClient.SignInAsync(stranger, ct);
        var sha256 = await SeedImageAsync(_portal, wallet.GetPublicAddress(), ct);

        using (var theirs = await PrepareAsync(strangerClient, sha256, ct))
        {
            Assert.Equal(HttpStatusCode.Forbidden, theirs.StatusCode);
            Assert.Contains("only its creator can mint it", await theirs.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        }
        var (preparation, hash) = await MintAsync(client, sha256, wallet, ct);
        Assert.Equal(MintState.Indexed, (await FollowAsync(client, hash, ct)).State);

        using var twice = await PrepareAsync(client, sha256, ct);
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        Assert.Contains("#" + NftTokenIds.Abbreviate(preparation.TokenId), await twice.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        using var signedOut = await SignInClient.For(_portal).Http.PostAsync(MintingRoutes.Prepare(sha256), null, ct);
        Assert.Equal(HttpStatusCode.Unauthorized, signedOut.StatusCode);
    }

    [Fact]
    public async Task A_signature_by_another_key_is_refused_naming_the_field_and_the_image_stays_mintable()
    {
        var ct = TestContext.Current.CancellationToken;
        var wallet = EthECKey.GenerateKey();
        using var client = SignInClient.For(_portal);
        await client.SignInAsync(wallet, ct);
        var sha256 = await SeedImageAsync(_portal, wallet.GetPublicAddress(), ct);
        using var prepared = await PrepareAsync(client, sha256, ct);
        var preparation = (await prepared.Content.ReadFromJsonAsync<MintPreparation>(ct))!;

        using var wrong = await client.Http.PostAsJsonAsync(MintingRoutes.Submit, new MintSubmission(preparation.PreparationId, Sign(preparation, EthECKey.GenerateKey())), ct);
        using var garbage = await client.Http.PostAsJsonAsync(MintingRoutes.Submit, new MintSubmission(preparation.PreparationId, "0x1234"), ct);

        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("signature", await wrong.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, garbage.StatusCode);
        Assert.Contains("130 hex digits", await garbage.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        // The same preparation still goes through once signed by the wallet.
        var submitted = await SubmitAsync(client, preparation, wallet, ct);
        Assert.Equal(MintState.Indexed, (await FollowAsync(client, submitted.UserOpHash!, ct)).State);
    }

    [Fact]
    public async Task A_preparation_that_ran_out_of_time_is_reissued_once_and_the_reissued_one_mints()
    {
        var ct = TestContext.Current.CancellationToken;
        var wallet = EthECKey.GenerateKey();
        using var client = SignInClient.For(_portal);
        await client.SignInAsync(wallet, ct);
        var sha256 = await SeedImageAsync(_portal, wallet.GetPublicAddress(), ct);
        using var prepared = await PrepareAsync(client, sha256, ct);
        var stale = (await prepared.Content.ReadFromJsonAsync<MintPreparation>(ct))!;

        // Past the authorization's deadline on the chain's clock, which the tests share and only move forward.
        await chain.Rpc.Client.SendRequestAsync<object>("evm_increaseTime", null, 20 * 60);
        await chain.Rpc.Client.SendRequestAsync<object>("evm_mine", null);
        var submitted = await SubmitAsync(client, stale, wallet, ct);

        Assert.Null(submitted.UserOpHash);
        var reissued = Assert.IsType<MintPreparation>(submitted.Reissued);
        Assert.NotEqual(stale.PreparationId, reissued.PreparationId);
        Assert.True(reissued.AuthorizationDeadline > stale.AuthorizationDeadline);
        var sent = await SubmitAsync(client, reissued, wallet, ct);
        Assert.Equal(MintState.Indexed, (await FollowAsync(client, sent.UserOpHash!, ct)).State);
        await using var db = PostgresFixture.CreateContext(_portal.ConnectionString);
        Assert.Equal(MintRequestState.Superseded, (await db.MintRequests.SingleAsync(r => r.Id == stale.PreparationId, ct)).State);
    }

    [Fact]
    public async Task Bad_input_names_the_field()
    {
        var ct = TestContext.Current.CancellationToken;
        using var client = SignInClient.For(_portal);
        await client.SignInAsync(EthECKey.GenerateKey(), ct);

        using var badSha = await PrepareAsync(client, "not-a-hash", ct);
        using var unknown = await PrepareAsync(client, new string('e', 64), ct);
        using var badStatus = await client.Http.GetAsync(MintingRoutes.Status("0x12"), ct);
        using var unknownNft = await client.Http.GetAsync(MintingRoutes.Nft("12345"), ct);

        Assert.Equal(HttpStatusCode.BadRequest, badSha.StatusCode);
        Assert.Contains("imageSha256", await badSha.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badStatus.StatusCode);
        Assert.Contains("userOpHash", await badStatus.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknownNft.StatusCode);
    }
}
