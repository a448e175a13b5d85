using Bunit;
using Heurist.Portal.Client.Layout;

namespace Heurist.Portal.Client.Tests.Features.Governance;

/// <summary>The navigation's Governance link.</summary>
public sealed class GovernanceNavTests : GovernanceTestContext
{
    [Fact]
    public void Governance_follows_rewards_and_leads_to_the_proposals()
    {
        var nav = Render<NavMenu>();

        var links = nav.FindAll("nav a").Select(a => (Text: a.TextContent.Trim(), Href: a.GetAttribute("href"))).ToList();
        var texts = links.Select(l => l.Text).ToList();
        Assert.Contains(("Governance", "/governance"), links);
        Assert.Equal(texts.IndexOf("Rewards") + 1, texts.IndexOf("Governance"));
    }
}
