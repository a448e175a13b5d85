using Bunit;
using Heurist.Portal.Client.Layout;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using MudBlazor.Extensions;

namespace Heurist.Portal.Client.Tests.Layout;

public sealed class MainLayoutTests : BunitContext
{
    public MainLayoutTests() => this.AddTestServices(renderPopoverProvider: false);

    private IRenderedComponent<MainLayout> RenderShell()
        => Render<MainLayout>(parameters => parameters.Add(layout => layout.Body, (RenderFragment)(builder => builder.AddMarkupContent(0, "<p id=\"page\">page body</p>"))));

    [Fact]
    public void The_app_bar_names_the_product_and_the_body_is_shown()
    {
        var shell = RenderShell();

        Assert.Equal("Heurist Portal", shell.Find("header .app-title").TextContent.Trim());
        Assert.Equal("page body", shell.Find("#page").TextContent);
    }

    [Fact]
    public void The_navigation_drawer_links_the_portals_pages_and_the_operator_pages()
    {
        var shell = RenderShell();

        var links = shell.FindAll("nav a").Select(a => (Text: a.TextContent.Trim(), Href: a.GetAttribute("href"))).ToList();
        Assert.Equal([("Home", "/"), ("Studio", "/studio"), ("Stats", "/stats"), ("Leaderboard", "/leaderboard")], links[..4]);
        Assert.Contains(("Job dashboard", "/hangfire"), links);
        Assert.Contains(("API (OpenAPI)", "/openapi/v1.json"), links);
    }

    [Fact]
    public void The_app_bar_offers_to_connect_a_wallet_left_of_the_theme_toggle()
    {
        var shell = RenderShell();

        var buttons = shell.FindAll("header button").Select(button => button.GetAttribute("aria-label")).ToList();
        Assert.Equal(["Connect wallet", "Switch to dark mode"], buttons[^2..]);
        // Without a wallet connected there is no network to be wrong about.
        Assert.Empty(shell.FindAll("[data-testid='wrong-network']"));
    }

    [Fact]
    public void The_theme_toggle_switches_to_dark_and_back_and_remembers_the_choice()
    {
        var shell = RenderShell();
        Assert.False(shell.FindComponent<MudThemeProvider>().Instance.GetState(x => x.IsDarkMode));

        shell.Find("button[aria-label='Switch to dark mode']").Click();

        Assert.True(shell.FindComponent<MudThemeProvider>().Instance.GetState(x => x.IsDarkMode));
        Assert.Single(JSInterop.Invocations, call => call.Identifier == "localStorage.setItem"
            && Equals(call.Arguments[0], MainLayout.ThemeStorageKey) && Equals(call.Arguments[1], "dark"));

        shell.Find("button[aria-label='Switch to light mode']").Click();

        Assert.False(shell.FindComponent<MudThemeProvider>().Instance.GetState(x => x.IsDarkMode));
        Assert.Contains(JSInterop.Invocations, call => call.Identifier == "localStorage.setItem" && Equals(call.Arguments[1], "light"));
    }

    [Fact]
    public void A_saved_dark_theme_is_restored_after_the_first_render()
    {
        JSInterop.Setup<string?>("localStorage.getItem", MainLayout.ThemeStorageKey).SetResult("dark");

        var shell = RenderShell();

        shell.WaitForAssertion(() => Assert.True(shell.FindComponent<MudThemeProvider>().Instance.GetState(x => x.IsDarkMode)));
        Assert.NotNull(shell.Find("button[aria-label='Switch to light mode']"));
    }

    [Fact]
    public void The_menu_button_opens_and_closes_the_drawer()
    {
        var shell = RenderShell();
        // A responsive drawer starts open or closed depending on the screen width, so test the flips.
        var initially = shell.FindComponent<MudDrawer>().Instance.GetState(x => x.Open);

        shell.Find("button[aria-label='Toggle navigation']").Click();
        Assert.Equal(!initially, shell.FindComponent<MudDrawer>().Instance.GetState(x => x.Open));

        shell.Find("button[aria-label='Toggle navigation']").Click();
        Assert.Equal(initially, shell.FindComponent<MudDrawer>().Instance.GetState(x => x.Open));
    }
}
