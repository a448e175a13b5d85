using System.Text.RegularExpressions;
using Heurist.Portal.Server.Features.Governance;

namespace Heurist.Portal.Server.Tests.Features.Governance;

/// <summary>Proposal bodies rendered for the page: Markdown as expected, and nothing that runs script or loads what it should not.</summary>
public sealed partial class ProposalMarkdownTests
{
    [Fact]
    public void Markdown_renders_headings_emphasis_lists_tables_and_task_lists()
    {
        var html = ProposalMarkdown.ToHtml("""
            ## Plan

            *Move* **GPUs** ~~now~~.

            - [x] done
            - [ ] to do

            | model | share |
            |---|---|
            | sdxl | 70 % |
            """);

        Assert.Contains("<h2>Plan</h2>", html, StringComparison.Ordinal);
        Assert.Contains("<em>Move</em> <strong>GPUs</strong> <del>now</del>", html, StringComparison.Ordinal);
        Assert.Contains("<table>", html, StringComparison.Ordinal);
        Assert.Contains("<td>sdxl</td>", html, StringComparison.Ordinal);
        Assert.Contains("type=\"checkbox\"", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("before <script>alert(1)</script> after")]
    [InlineData("<img src=x onerror=alert(1)>")]
    [InlineData("<a href=\"javascript:alert(1)\">x</a>")]
    [InlineData("<iframe src=\"https://evil.example\"></iframe>")]
    [InlineData("<div onclick=\"alert(1)\">x</div>")]
    [InlineData("<svg/onload=alert(1)>")]
    [InlineData("<style>body{display:none}</style>")]
    public void Raw_html_is_escaped_and_shows_as_text(string markdown)
    {
        var html = ProposalMarkdown.ToHtml(markdown);

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Tags(html), t => t is "img" or "a" or "iframe" or "div" or "svg" or "style" or "script");
        Assert.Contains("&lt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain(AttributeNames(html), a => a.StartsWith("on", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("[click](javascript:alert(1))")]
    [InlineData("[click](JavaScript:alert(1))")]
    [InlineData("[click](java&#x09;script:alert(1))")]
    [InlineData("[click](&#106;avascript:alert(1))")]
    [InlineData("[click](  javascript:alert(1))")]
    [InlineData("[click](vbscript:msgbox(1))")]
    [InlineData("[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)")]
    [InlineData("[click](file:///etc/passwd)")]
    [InlineData("[click][ref]\n\n[ref]: javascript:alert(1)")]
    public void A_link_to_anything_but_http_https_mailto_or_a_relative_path_keeps_its_text_without_the_link(string markdown)
    {
        var html = ProposalMarkdown.ToHtml(markdown);

        Assert.DoesNotContain("<a", html, StringComparison.Ordinal);
        Assert.DoesNotContain("href", html, StringComparison.Ordinal);
        Assert.Contains("click", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<javascript:alert(1)>")]
    [InlineData("<data:text/html,hi>")]
    public void An_autolink_with_another_scheme_is_plain_text(string markdown)
        => Assert.DoesNotContain("<a", ProposalMarkdown.ToHtml(markdown), StringComparison.Ordinal);

    [Theory]
    [InlineData("[docs](https://docs.example/governance)", "https://docs.example/governance")]
    [InlineData("[forum](http://forum.example/t/1)", "http://forum.example/t/1")]
    [InlineData("[mail](mailto:gov@heurist.example)", "mailto:gov@heurist.example")]
    [InlineData("[stats](/stats)", "/stats")]
    [InlineData("[vote](#vote)", "#vote")]
    [InlineData("<https://heurist.example>", "https://heurist.example")]
    [InlineData("see www.heurist.example now", "http://www.heurist.example")]
    public void Http_https_mailto_and_relative_links_are_kept_and_open_without_a_referrer(string markdown, string href)
    {
        var html = ProposalMarkdown.ToHtml(markdown);

        Assert.Contains($"href=\"{href}\"", html, StringComparison.Ordinal);
        Assert.Contains("rel=\"nofollow noopener noreferrer\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void An_image_is_shown_only_from_https_and_otherwise_becomes_its_alt_text()
    {
        var https = ProposalMarkdown.ToHtml("![chart](https://img.example/chart.png)");
        var http = ProposalMarkdown.ToHtml("![chart](http://img.example/chart.png)");
        var data = ProposalMarkdown.ToHtml("![chart](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)");
        var relative = ProposalMarkdown.ToHtml("![chart](/images/chart.png)");
        var script = ProposalMarkdown.ToHtml("![chart](javascript:alert(1))");

        Assert.Contains("<img src=\"https://img.example/chart.png\" alt=\"chart\"", https, StringComparison.Ordinal);
        Assert.All([http, data, relative, script], html =>
        {
            Assert.DoesNotContain("<img", html, StringComparison.Ordinal);
            Assert.Contains("chart", html, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void A_link_inside_an_unsafe_link_text_stays_and_formatting_survives_the_unwrapping()
    {
        var html = ProposalMarkdown.ToHtml("[**bold** text](javascript:alert(1))");

        Assert.Contains("<strong>bold</strong> text", html, StringComparison.Ordinal);
        Assert.DoesNotContain("href", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[x](https://a.example \"t\" onmouseover=\"alert(1)\")")]
    [InlineData("[x](<https://a.example\" onmouseover=\"alert(1)>)")]
    [InlineData("![x](https://a.example/i.png\"onerror=\"alert(1))")]
    [InlineData("text{onclick=alert(1)}\n\n# head {#id onclick=alert(1)}")]
    public void No_attribute_can_be_smuggled_into_a_tag(string markdown)
    {
        var html = ProposalMarkdown.ToHtml(markdown);

        Assert.DoesNotContain(AttributeNames(html), a => a.StartsWith("on", StringComparison.OrdinalIgnoreCase));
        Assert.All(AttributeNames(html), a => Assert.Contains(a, new[] { "href", "rel", "src", "alt", "title", "id" }));
    }

    private static IEnumerable<string> Tags(string html) => TagPattern().Matches(html).Select(m => m.Groups[1].Value.ToLowerInvariant());

    /// <summary>The attribute names of every tag: the renderer quotes every value and escapes quotes inside it.</summary>
    private static IEnumerable<string> AttributeNames(string html)
        => TagPattern().Matches(html).SelectMany(m => AttributePattern().Matches(m.Groups[2].Value).Select(a => a.Groups[1].Value.ToLowerInvariant()));

    [GeneratedRegex("<([A-Za-z][A-Za-z0-9]*)([^>]*)>")]
    private static partial Regex TagPattern();

    [GeneratedRegex("""\s([^\s="/]+)(?:="[^"]*")?""")]
    private static partial Regex AttributePattern();
}
