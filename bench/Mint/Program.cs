using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Heurist.Bench.Mint;
using Heurist.Contracts.AccountAbstraction;
using Heurist.Contracts.Bindings;
using Heurist.LocalRunner;
using Heurist.Portal.Data.Minting;
using Heurist.Protocol.Api.Minting;
using Heurist.Protocol.Api.Provenance;
using Heurist.Protocol.Jobs;
using Heurist.TinyModels;
using Microsoft.EntityFrameworkCore;
using Nethereum.Contracts;
using Nethereum.Signer;

// bench/mint.sh → key=value lines: gasless mints through the portal and Alto on anvil, the hostile cases, and re-runs.
const int Wallets = 5;
const int MintsPerWallet = 10;
const int Verifications = 5;
var poll = TimeSpan.FromMilliseconds(5);

var models = Path.Combine(Path.GetTempPath(), $"heurist-bench-models-{Guid.NewGuid():N}");
TinyModelWriter.WriteAll(models);
try
{
    await using var stack = await MintStack.StartAsync(models);
    using var http = new HttpClient();
    var bundler = new BundlerClient(http, stack.BundlerUrl);
    var mint = SponsoredMint.ForDeployment(stack.Rpc, stack.Manifest);

    // Every wallet's images, made by the tiny SD 1.5 on the worker (one spare each, for the hostile cases).
    var creators = new List<Creator>();
    var images = new Dictionary<Creator, List<string>>();
    for (var w = 0; w < Wallets; w++)
    {
        var creator = await Creator.SignedInAsync(stack.PortalUrl, EthECKey.GenerateKey());
        creators.Add(creator);
        var jobs = new List<Guid>();
        for (var i = 0; i <= MintsPerWallet; i++)
        {
            jobs.Add(await creator.GenerateAsync($"bench mint {w}-{i}", 1000 * w + i));
        }
        await Readiness.WaitUntilAsync(async () =>
        {
            await using var db = stack.Database();
            return await db.ImageJobs.CountAsync(j => jobs.Contains(j.Id) && j.State == ImageJobState.Succeeded) == jobs.Count;
        }, [], TimeSpan.FromMinutes(5), TimeSpan.FromMilliseconds(50));
        await using (var db = stack.Database())
        {
            images[creator] = await db.ImageJobs.Where(j => jobs.Contains(j.Id)).OrderBy(j => j.Seed).Select(j => j.ImageSha256!).ToListAsync();
        }
    }

    // From the authorization request (prepare) to the bundler's receipt, one mint at a time.
    var latencies = new List<double>();
    var firsts = new List<double>();
    var minted = new List<(Creator Creator, string Sha256, string UserOpHash)>();
    foreach (var creator in creators)
    {
        foreach (var sha256 in images[creator].Take(MintsPerWallet))
        {
            var clock = Stopwatch.StartNew();
            var prepared = await creator.PreparedAsync(sha256);
            var hash = await creator.SubmittedAsync(prepared);
            MintStatus status;
            while ((status = await creator.StatusAsync(hash)).State == MintState.Pending)
            {
                await Task.Delay(poll);
            }
            clock.Stop();
            if (status.State == MintState.Failed)
            {
                throw new InvalidOperationException($"Mint of {sha256} failed: {status.Reason}");
            }
            latencies.Add(clock.Elapsed.TotalMilliseconds);
            if (prepared.DeploysAccount)
            {
                firsts.Add(clock.Elapsed.TotalMilliseconds);
            }
            minted.Add((creator, sha256, hash));
        }
    }

    // The hostile cases: each must be refused, and none may cost the paymaster a sponsored mint.
    var (owner, stranger) = (creators[0], creators[1]);
    var spare = images[owner][MintsPerWallet];
    var cases = new List<(string Name, bool Refused)>();
    async Task<bool> RefusedWith(Task<HttpResponseMessage> call, HttpStatusCode expected)
    {
        using var response = await call;
        return response.StatusCode == expected;
    }
    cases.Add(("someone else's image", await RefusedWith(stranger.PrepareAsync(spare), HttpStatusCode.Forbidden)));
    cases.Add(("an image minted already", await RefusedWith(owner.PrepareAsync(minted[0].Sha256), HttpStatusCode.Conflict)));
    using (var signedOut = new HttpClient { BaseAddress = stack.PortalUrl })
    {
        cases.Add(("signed out", await RefusedWith(signedOut.PostAsync(MintingRoutes.Prepare(spare), null), HttpStatusCode.Unauthorized)));
    }
    cases.Add(("not an image hash", await RefusedWith(owner.PrepareAsync("../../etc/passwd"), HttpStatusCode.BadRequest)));
    var preparation = await owner.PreparedAsync(spare);
    cases.Add(("signed by another key", await RefusedWith(owner.SubmitAsync(preparation, owner.Sign(preparation, EthECKey.GenerateKey())), HttpStatusCode.BadRequest)));

    var operation = Creator.Operation(preparation);
    var transfer = UserOperations.Execute(stack.Manifest.Contracts.HeuristToken, 0,
        new Heurist.Contracts.Bindings.HeuristToken.TransferFunction { To = owner.Address, Value = 1 }.GetCallData());
    cases.Add(("a sponsored operation changed to another call", await BundlerRefusesAsync(mint.SignAsOwner(operation with { CallData = transfer }, owner.Wallet))));
    var sentOperation = mint.SignAsOwner(operation, owner.Wallet);
    var sentHash = await mint.SendAsync(bundler, sentOperation);
    await bundler.WaitForReceiptAsync(sentHash, TimeSpan.FromMinutes(1));
    cases.Add(("a replay of a bundled operation", await BundlerRefusesAsync(sentOperation)));

    // Quota: a wallet that sent its day's sponsored mints already (as many as the setting allows).
    var spent = creators[2];
    await using (var db = stack.Database())
    {
        var document = await db.NftMetadataDocuments.FirstAsync();
        for (var i = 0; i < 100; i++)
        {
            db.MintRequests.Add(new MintRequest
            {
                Id = Guid.NewGuid(), ImageSha256 = new string('0', 63) + "1", Owner = spent.Address.ToLowerInvariant(), Account = spent.Address.ToLowerInvariant(),
                MetadataSha256 = document.Sha256, Operation = "{}", UserOpHash = "0x" + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()).PadLeft(64, '0'),
                CreatedAt = DateTimeOffset.UtcNow, AuthorizationDeadline = DateTimeOffset.UtcNow, SponsorshipValidUntil = DateTimeOffset.UtcNow,
                State = MintRequestState.Included, SentAt = DateTimeOffset.UtcNow,
            });
        }
        await db.SaveChangesAsync();
    }
    cases.Add(("a spent wallet quota", await RefusedWith(spent.PrepareAsync(images[spent][MintsPerWallet]), HttpStatusCode.TooManyRequests)));

    // Re-runs of minted images on the worker: the same recipe must give the same bytes.
    var identical = 0;
    foreach (var (creator, sha256, _) in minted.Where((_, i) => i % MintsPerWallet == 0).Take(Verifications))
    {
        using var requested = await creator.Http.PostAsync(ProvenanceRoutes.Verify(sha256), null);
        requested.EnsureSuccessStatusCode();
        var verification = (await requested.Content.ReadFromJsonAsync<VerificationView>())!;
        while (!verification.IsFinished)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50));
            verification = (await creator.Http.GetFromJsonAsync<VerificationView>(ProvenanceRoutes.Verification(verification.Id)))!;
        }
        identical += verification.State == VerificationState.Identical ? 1 : 0;
        if (verification.State != VerificationState.Identical)
        {
            Console.Error.WriteLine($"verification of {sha256}: {verification.State} {verification.Reason} {string.Join("; ", verification.Differences)}");
        }
    }

    // The sponsorship window closes: an operation signed in time and sent after it is refused.
    var late = await creators[3].PreparedAsync(images[creators[3]][MintsPerWallet]);
    var lateOperation = mint.SignAsOwner(Creator.Operation(late), creators[3].Wallet);
    await stack.Rpc.Client.SendRequestAsync<object>("evm_increaseTime", null, (long)(late.SponsorshipValidUntil - DateTimeOffset.UtcNow).TotalSeconds + 3600);
    await stack.Rpc.Client.SendRequestAsync<object>("evm_mine", null);
    cases.Add(("an operation sent after its sponsorship ended", await BundlerRefusesAsync(lateOperation)));

    foreach (var (name, refused) in cases.Where(c => !c.Refused))
    {
        Console.Error.WriteLine($"not refused: {name}");
    }
    latencies.Sort();
    Console.WriteLine($"mint.count={latencies.Count}");
    Print("mint.e2e_ms_p50", Percentile(latencies, 0.50));
    Print("mint.e2e_ms_p99", Percentile(latencies, 0.99));
    Print("mint.e2e_ms_first_mean", firsts.Average());
    Console.WriteLine($"mint.refused={cases.Count(c => c.Refused)}/{cases.Count}");
    Console.WriteLine($"verify.identical={identical}/{Verifications}");
    foreach (var creator in creators)
    {
        creator.Dispose();
    }
    return cases.All(c => c.Refused) && identical == Verifications ? 0 : 1;

    async Task<bool> BundlerRefusesAsync(PackedUserOperation candidate)
    {
        try
        {
            await mint.SendAsync(bundler, candidate);
            return false;
        }
        catch (BundlerRejectedException)
        {
            return true;
        }
    }
}
finally
{
    Directory.Delete(models, recursive: true);
}

static double Percentile(List<double> sorted, double p) => sorted[(int)Math.Ceiling(p * sorted.Count) - 1];

static void Print(string key, double value) => Console.WriteLine($"{key}={value.ToString("0.0", CultureInfo.InvariantCulture)}");
