using Bunit;
using Heurist.Portal.Client.Features.Minting;
using Heurist.Protocol.Api;
using Heurist.Protocol.Api.Minting;
using MudBlazor;

namespace Heurist.Portal.Client.Tests.Features.Minting;

/// <summary>/operators/paymaster: the deposit, its warning, and the sponsored mints per day; operators only.</summary>
public sealed class PaymasterPageTests : MintingTestContext
{
    private static PaymasterStatus Status(double depositEth, bool low) => new(
        "0x5FC8d32690cc91D4c39d9d3abcBD16989F875707",
        ((decimal)depositEth * 1_000_000_000_000_000_000m).ToString("0", System.Globalization.CultureInfo.InvariantCulture),
        depositEth,
        0.1,
        low,
        5,
        20,
        [new DailySponsoredMints(new DateOnly(2026, 11, 21), 7), new DailySponsoredMints(new DateOnly(2026, 11, 20), 3), new DailySponsoredMints(new DateOnly(2026, 11, 22), 1)]);

    [Fact]
    public void A_low_deposit_is_warned_about()
    {
        Nfts.Paymaster = Status(0.025, low: true);

        var page = Render<PaymasterPage>();

        page.WaitForAssertion(() => Assert.Contains("The deposit is low: 0.025 ETH left, below the 0.1 ETH threshold.", page.Find("[data-testid='paymaster-low']").TextContent, StringComparison.Ordinal));
        Assert.Contains("0.025 ETH", page.Find("[data-testid='paymaster-deposit']").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void A_healthy_deposit_has_no_warning_and_the_days_are_charted_in_order()
    {
        Nfts.Paymaster = Status(1.5, low: false);

        var page = Render<PaymasterPage>();

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid='paymaster-chart']")));
        Assert.Empty(page.FindAll("[data-testid='paymaster-low']"));
        var chart = page.FindComponent<MudChart<double>>().Instance;
        Assert.Equal([3, 7, 1], chart.ChartSeries[0].Data.Values);
        Assert.Equal(["Nov 20", "Nov 21", "Nov 22"], chart.ChartLabels);
        Assert.Contains("11 in all", page.Find("[data-testid='paymaster-total']").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Someone_who_is_not_an_operator_is_told_it_is_for_operators_only()
    {
        Nfts.Failure = new ApiException(403, "Operators only.");

        var page = Render<PaymasterPage>();

        page.WaitForAssertion(() => Assert.Contains("Operators only", page.Find("[data-testid='paymaster-forbidden']").TextContent, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("[data-testid='paymaster-deposit']"));
    }
}
