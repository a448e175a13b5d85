using System.Numerics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Heurist.Contracts.LocalChain;
using Heurist.Portal.Data.Miners;
using Heurist.Protocol.Miners;
using Heurist.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Heurist.E2E;

/// <summary>
/// Stakers and a miner with a browser wallet, on the real portal and chain: stake (approve, then stake), unstake and
/// withdraw after the cooldown, move stake, set a bribe, claim an epoch's rewards, and vest esHEU.
/// </summary>
public sealed class StakingJourneyTests(RunningPortal portal, BrowserFixture browser) : IAsyncLifetime
{
    private const string Miner = RunningPortal.MinerId;
    private const string SecondMiner = "e2e-second";
    private const int MinerOwner = 1;
    private const int Carol = 8;
    private const int Dave = 9;

    private static readonly TimeSpan Long = TimeSpan.FromSeconds(60);

    private IBrowserContext? _context;
    private IPage _page = default!;

    private ChainSteps Chain => portal.Chain;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Stake_from_the_leaderboard_approving_first_then_staking()
    {
        await Chain.EnsureRegisteredAsync(Miner, MinerOwner);
        await Chain.FundHeuAsync(AnvilAccounts.Address(Carol), 20_000);
        var before = await Chain.Staking.StakeOfAsync(AnvilAccounts.Address(Carol), ChainSteps.MinerChainId(Miner), 0);
        await OpenAsync("/leaderboard", Carol);

        await _page.GetByRole(AriaRole.Button, new() { Name = $"Stake on {Miner}" }).ClickAsync();
        var form = _page.GetByTestId("stake-form");
        await Expect(form.GetByTestId("efficiency-now")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await form.GetByLabel("Amount").FillAsync("12000");
        await Expect(form.GetByTestId("efficiency-after")).ToContainTextAsync("%");
        await Screenshots.SaveAsync(_page, "staking-stake-dialog");
        await form.GetByTestId("stake-submit").ClickAsync();

        // The allowance was short: approve is step 1 of 2, then the stake itself, which ends indexed.
        await Expect(form.GetByTestId("stake-step")).ToContainTextAsync("2 of 2", new() { Timeout = 60_000 });
        await Expect(form.GetByTestId("tx-status")).ToHaveAttributeAsync("data-stage", "Indexed", new() { Timeout = 60_000 });
        await Screenshots.SaveAsync(_page, "staking-stake-done");
        var calls = await _page.EvaluateAsync<string[]>("() => window.__testWallet.calls.filter(c => c === 'eth_sendTransaction')");
        Assert.Equal(2, calls.Length);
        Assert.Equal(before + 12_000 * ChainSteps.Token, await Chain.Staking.StakeOfAsync(AnvilAccounts.Address(Carol), ChainSteps.MinerChainId(Miner), 0));

        await GoAsync("/staking");
        await Expect(PositionRow(Miner, "HEU")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Screenshots.SaveAsync(_page, "staking-positions");

        // On a phone the positions fold into cards and nothing runs off the side.
        await _page.SetViewportSizeAsync(390, 844);
        await GoAsync("/staking");
        await Expect(_page.GetByRole(AriaRole.Button, new() { Name = $"Unstake HEU from {Miner}" })).ToBeVisibleAsync();
        await Screenshots.SaveAsync(_page, "staking-mobile");
        Assert.True(await FitsWidthAsync(390), $"/staking is {await ScrollWidthAsync()} px wide on a 390 px screen.");
    }

    [Fact]
    public async Task Unstake_HEU_wait_out_the_cooldown_on_the_chains_clock_and_withdraw()
    {
        await Chain.EnsureRegisteredAsync(Miner, MinerOwner);
        await Chain.EnsureStakeAsync(Miner, Dave, 5_000);
        var dave = AnvilAccounts.Address(Dave);
        await OpenAsync("/staking", Dave);

        var row = PositionRow(Miner, "HEU");
        await row.GetByTestId("unstake-button").ClickAsync();
        var action = _page.GetByTestId("position-action");
        await Expect(action.GetByTestId("action-explainer")).ToContainTextAsync("30 days");
        await action.GetByLabel("Amount").FillAsync("2000");
        await action.GetByTestId("action-submit").ClickAsync();
        // Once indexed, the form closes and its outcome stays on the page.
        await Expect(_page.GetByTestId("action-done").GetByTestId("tx-status")).ToHaveAttributeAsync("data-stage", "Indexed", new() { Timeout = 60_000 });

        var request = _page.GetByTestId("unstakes").Locator("tr").Filter(new() { HasText = "2,000 HEU" }).Last;
        await Expect(request.GetByTestId("countdown")).ToContainTextAsync("in ", new() { Timeout = 30_000 });
        await Expect(request.GetByTestId("withdraw-button")).ToBeDisabledAsync();
        await Screenshots.SaveAsync(_page, "staking-cooldown");

        await Chain.IncreaseTimeAsync(TimeSpan.FromDays(30) + TimeSpan.FromMinutes(5));
        var heuBefore = await Chain.Heu.BalanceOfAsync(dave);
        await _page.ReloadAsync();
        await WaitInteractiveAsync();
        request = _page.GetByTestId("unstakes").Locator("tr").Filter(new() { HasText = "2,000 HEU" }).Last;
        await Expect(request.GetByTestId("withdraw-button")).ToBeEnabledAsync(new() { Timeout = 30_000 });
        await request.GetByTestId("withdraw-button").ClickAsync();
        await Expect(_page.GetByTestId("unstakes").GetByTestId("tx-status")).ToHaveAttributeAsync("data-stage", "Indexed", new() { Timeout = 60_000 });
        await Screenshots.SaveAsync(_page, "staking-withdrawn");

        Assert.Equal(heuBefore + 2_000 * ChainSteps.Token, await Chain.Heu.BalanceOfAsync(dave));
    }

    [Fact]
    public async Task Move_stake_to_another_miner_found_with_the_leaderboard_search()
    {
        await Chain.EnsureRegisteredAsync(Miner, MinerOwner);
        await AddSecondMinerAsync();
        await Chain.EnsureRegisteredAsync(SecondMiner, MinerOwner);
        await Chain.EnsureStakeAsync(Miner, Dave, 3_000);
        var dave = AnvilAccounts.Address(Dave);
        var onSecond = await Chain.Staking.StakeOfAsync(dave, ChainSteps.MinerChainId(SecondMiner), 0);
        await OpenAsync("/staking", Dave);

        await PositionRow(Miner, "HEU").GetByTestId("move-button").ClickAsync();
        var action = _page.GetByTestId("position-action");
        await action.GetByLabel("Move to miner").FillAsync("second");
        var option = _page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = SecondMiner });
        await Expect(option).ToBeVisibleAsync(new() { Timeout = 30_000 });
        // The search is debounced (250 ms): a click while a search is still due is undone by its answer.
        await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
        await option.ClickAsync();
        await Expect(_page.Locator(".mud-popover-open .mud-list-item")).ToHaveCountAsync(0);
        await action.GetByLabel("Amount").FillAsync("1000");
        await action.GetByTestId("action-submit").ClickAsync();
        // Once indexed, the form closes and its outcome stays on the page.
        await Expect(_page.GetByTestId("action-done").GetByTestId("tx-status")).ToHaveAttributeAsync("data-stage", "Indexed", new() { Timeout = 60_000 });

        await Expect(PositionRow(SecondMiner, "HEU")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Screenshots.SaveAsync(_page, "staking-moved");
        Assert.Equal(onSecond + 1_000 * ChainSteps.Token, await Chain.Staking.StakeOfAsync(dave, ChainSteps.MinerChainId(SecondMiner), 0));
    }

    [Fact]
    public async Task The_miner_registers_on_chain_and_sets_its_bribe_for_the_next_epoch()
    {
        await OpenAsync($"/miners/{Miner}", MinerOwner);
        var panel = _page.GetByTestId("bribe-panel");
        var register = panel.GetByTestId("register-miner");
        var setBribe = panel.GetByTestId("set-bribe");
        await Expect(register.Or(setBribe)).ToBeVisibleAsync(new() { Timeout = 30_000 });
        if (await register.IsVisibleAsync())
        {
            await register.ClickAsync();
            await Expect(panel.GetByTestId("tx-status")).ToHaveAttributeAsync("data-stage", "Indexed", new() { Timeout = 60_000 });
            await Expect(setBribe).ToBeVisibleAsync(new() { Timeout = 30_000 });
        }
        var epoch = await Chain.Staking.CurrentEpochAsync();

        // Above 10,000 bps is refused before the wallet opens.
        await panel.GetByLabel("New bribe (basis points)").FillAsync("12000");
        await Expect(panel).ToContainTextAsync("must be between 0 and 10,000");
        await panel.GetByLabel("New bribe (basis points)").FillAsync("2500");
        await Expect(panel.GetByTestId("bribe-effective")).ToContainTextAsync($"epoch {epoch + 1}");
        await setBribe.ClickAsync();
        await Expect(panel.GetByTestId("tx-status")).ToHaveAttributeAsync("data-stage", "Indexed", new() { Timeout = 60_000 });
        // The page shows the change once a snapshot includes it: in the bribe history, from the next epoch.
        await Expect(_page.GetByTestId("bribes")).ToContainTextAsync("25%", new() { Timeout = 30_000 });
        await Screenshots.SaveAsync(_page, "miner-bribe");

        Assert.Equal(2_500, await Chain.Staking.BribeOfAsync(ChainSteps.MinerChainId(Miner), epoch + 1));
    }

    [Fact]
    public async Task Settle_an_epoch_then_claim_it_and_the_balance_rises()
    {
        var carol = AnvilAccounts.Address(Carol);
        await Chain.EnsureRegisteredAsync(Miner, MinerOwner);
        await Chain.EnsureStakeAsync(Miner, Carol, 12_000);
        if (await Chain.Staking.BribeOfAsync(ChainSteps.MinerChainId(Miner), await Chain.Staking.CurrentEpochAsync()) == 0)
        {
            // A bribe takes effect from the next epoch: set it, then let this epoch end.
            await Chain.SetBribeAsync(Miner, MinerOwner, 2_500);
            await Chain.EndEpochAsync(await Chain.Staking.CurrentEpochAsync());
        }
        var epoch = await Chain.Staking.CurrentEpochAsync();
        await Chain.CreditPointsAsync(portal.ConnectionString, Miner, 120m);
        await Chain.EndEpochAsync(epoch);

        await OpenAsync("/rewards", Carol);
        await SignInAsync();
        await SettleUntilPostedAsync((long)epoch);
        await GoAsync("/rewards");

        var claim = _page.GetByTestId($"claim-{epoch}");
        await Expect(claim).ToBeVisibleAsync(new() { Timeout = 30_000 });
        var (heuBefore, esHeuBefore) = (await Chain.Heu.BalanceOfAsync(carol), await Chain.EsHeu.BalanceOfAsync(carol));
        await Screenshots.SaveAsync(_page, "rewards-claimable");
        await claim.ClickAsync();
        await Expect(_page.GetByTestId($"reward-status-{epoch}")).ToContainTextAsync("Claimed", new() { Timeout = 60_000 });
        await Screenshots.SaveAsync(_page, "rewards-claimed");
        // The settled epoch gives the miner an expected APR on the leaderboard, with its formula on hover.
        await _page.SetViewportSizeAsync(1366, 900);
        await GoAsync("/leaderboard");
        var apr = _page.Locator($"tr:has([data-testid=leaderboard-row][data-miner-id='{Miner}'])").GetByTestId("apr");
        await Expect(apr).ToContainTextAsync("%", new() { Timeout = 30_000 });
        await apr.HoverAsync();
        await Expect(_page.Locator(".mud-tooltip").Filter(new() { HasText = "epochs a year" })).ToBeVisibleAsync(new() { Timeout = 10_000 });
        await Screenshots.SaveAsync(_page, "leaderboard-apr");

        // A phone opens the page at its own width.
        await _page.SetViewportSizeAsync(390, 844);
        await GoAsync("/rewards");
        await Expect(_page.GetByTestId($"reward-status-{epoch}")).ToContainTextAsync("Claimed", new() { Timeout = 30_000 });
        await Screenshots.SaveAsync(_page, "rewards-mobile");
        Assert.True(await FitsWidthAsync(390), $"/rewards is {await ScrollWidthAsync()} px wide on a 390 px screen.");

        // The leaf's amounts, as the portal publishes them, arrived on chain.
        var account = JsonDocument.Parse(await _page.EvaluateAsync<string>($"async () => (await fetch('/api/rewards/accounts/{carol}')).text()")).RootElement;
        var leaf = account.GetProperty("epochs").EnumerateArray().Single(e => e.GetProperty("epoch").GetInt64() == (long)epoch);
        Assert.True(leaf.GetProperty("claimed").GetBoolean());
        var (heu, esHeu) = (BigInteger.Parse(leaf.GetProperty("heu").GetString()!), BigInteger.Parse(leaf.GetProperty("esHeu").GetString()!));
        Assert.True(heu + esHeu > 0);
        Assert.Equal(heuBefore + heu, await Chain.Heu.BalanceOfAsync(carol));
        Assert.Equal(esHeuBefore + esHeu, await Chain.EsHeu.BalanceOfAsync(carol));
    }

    [Fact]
    public async Task Vest_esHEU_move_the_clock_and_claim_the_vested_part()
    {
        var dave = AnvilAccounts.Address(Dave);
        await Chain.GrantEsHeuAsync(dave, 100);
        await OpenAsync("/vesting", Dave);

        await Expect(_page.GetByTestId("esheu-balance")).ToContainTextAsync(new Regex(@"[1-9]"), new() { Timeout = 30_000 });
        await _page.GetByLabel("Amount").First.FillAsync("100");
        await _page.GetByTestId("vest-submit").ClickAsync();
        await Expect(_page.GetByTestId("tx-status").First).ToHaveAttributeAsync("data-stage", "Indexed", new() { Timeout = 60_000 });
        var count = await Chain.EsHeu.VestingCountAsync(dave);
        Assert.True(count > 0);

        await Chain.IncreaseTimeAsync(TimeSpan.FromDays(73));
        var heuBefore = await Chain.Heu.BalanceOfAsync(dave);
        await _page.ReloadAsync();
        await WaitInteractiveAsync();
        var position = _page.Locator($"[data-testid=vesting-position][data-position-id='{count - 1}']");
        await Expect(position.GetByTestId("claim-button")).ToBeEnabledAsync(new() { Timeout = 30_000 });
        await Screenshots.SaveAsync(_page, "vesting-claimable");
        await position.GetByTestId("claim-button").ClickAsync();
        await Expect(_page.GetByTestId("tx-status").Last).ToHaveAttributeAsync("data-stage", "Indexed", new() { Timeout = 60_000 });
        await Expect(position.GetByTestId("claimable")).ToHaveTextAsync(new Regex(@"^(0|< 0\.0001)$"), new() { Timeout = 30_000 });
        await Screenshots.SaveAsync(_page, "vesting-claimed");

        // 73 of 365 days: a fifth of the 100 esHEU, give or take the seconds the blocks took.
        var gained = await Chain.Heu.BalanceOfAsync(dave) - heuBefore;
        Assert.InRange(gained, 20 * ChainSteps.Token, 21 * ChainSteps.Token);
    }

    private async Task SettleUntilPostedAsync(long epoch)
    {
        var deadline = DateTime.UtcNow + Long;
        while (true)
        {
            var run = await _page.EvaluateAsync<string>("async () => { const r = await fetch('/api/rewards/settle', { method: 'POST' }); return r.status + ' ' + await r.text(); }");
            Assert.StartsWith("200 ", run, StringComparison.Ordinal);
            var body = JsonDocument.Parse(run[4..]).RootElement;
            if (body.GetProperty("epochs").EnumerateArray().Any(e => e.GetProperty("epoch").GetInt64() == epoch && e.GetProperty("status").GetString() == "Posted"))
            {
                return;
            }
            var summary = await _page.EvaluateAsync<string>($"async () => (await fetch('/api/rewards/epochs/{epoch}')).text()");
            if (summary.Contains("\"status\":\"Posted\"", StringComparison.Ordinal))
            {
                return;
            }
            Assert.True(DateTime.UtcNow < deadline, $"Epoch {epoch} was not posted: {body}");
            await Task.Delay(1_000, TestContext.Current.CancellationToken);
        }
    }

    private Task<int> ScrollWidthAsync() => _page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");

    private Task<bool> FitsWidthAsync(int width)
        => _page.EvaluateAsync<bool>($"() => document.documentElement.scrollWidth <= {width}");

    private async Task AddSecondMinerAsync()
    {
        await using var db = PostgresFixture.CreateContext(portal.ConnectionString);
        if (await db.Miners.FindAsync(SecondMiner) is not null)
        {
            return;
        }
        var now = DateTimeOffset.UtcNow;
        db.Miners.Add(new Miner
        {
            Id = SecondMiner, RewardAddress = AnvilAccounts.Address(MinerOwner).ToLowerInvariant(), DeviceName = "NVIDIA GeForce RTX 4090", DeviceKind = DeviceKind.Cuda,
            MemoryBytes = 24L << 30, Queues = ["sd15"], HostName = SecondMiner, WorkerVersion = "1.0.0", InstanceId = Guid.NewGuid(),
            RegisteredAt = now.AddDays(-1), StartedAt = now.AddHours(-1), LastHeartbeatAt = now, StoppedAt = now,
        });
        await db.SaveChangesAsync();
    }

    /// <summary>The row of the staker's position on <paramref name="minerId"/> in <paramref name="kind"/> ("HEU" or "esHEU").</summary>
    private ILocator PositionRow(string minerId, string kind)
        => _page.Locator("tr")
            .Filter(new() { Has = _page.Locator($"[data-testid=position][data-miner-id='{minerId}']") })
            .Filter(new() { Has = _page.Locator("td[data-label=Token]", new() { HasTextRegex = new Regex($"^{kind}$") }) });

    private async Task OpenAsync(string path, int account)
    {
        _context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = portal.Url.ToString(), ViewportSize = new() { Width = 1366, Height = 900 } });
        await TestWallet.InstallAsync(_context, portal.RpcUrl, [AnvilAccounts.Address(account)]);
        _page = await _context.NewPageAsync();
        await _page.GotoAsync(path);
        await WaitInteractiveAsync();
        await ConnectAsync();
    }

    private async Task GoAsync(string path)
    {
        await _page.GotoAsync(path);
        await WaitInteractiveAsync();
    }

    private Task WaitInteractiveAsync()
        => Expect(_page.Locator("[data-interactive=true]")).ToBeVisibleAsync(new() { Timeout = 60_000 });

    private Task ConnectAsync() => WalletSteps.ConnectAsync(_page);

    private async Task SignInAsync()
    {
        await WalletSteps.SignInAsync(_page);
        // Close the account panel, which covers the page.
        await _page.Keyboard.PressAsync("Escape");
    }

    public async ValueTask DisposeAsync()
    {
        if (_context is not null)
        {
            await _context.DisposeAsync();
        }
    }
}
