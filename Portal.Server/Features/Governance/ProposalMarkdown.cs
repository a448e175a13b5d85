using System.Text.RegularExpressions;
using Markdig;
using Markdig.Renderers;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Heurist.Portal.Server.Features.Governance;

/// <summary>
/// A proposal body's Markdown as the proposal page shows it, safe to put in the page as it is:
/// <list type="bullet">
/// <item>raw HTML, inline or in blocks, is escaped and shows as text (so no script, style, iframe or on* attribute);</item>
/// <item>no extension that writes attributes or embeds (generic attributes, media links, diagrams) is on;</item>
/// <item>a link keeps its target only when it is http, https, mailto or relative; any other (javascript:, data:,
/// vbscript:, file:…, also when hidden by case, entities or control characters) leaves its text without a link;</item>
/// <item>an image is shown only from an absolute https URL; any other becomes its alt text;</item>
/// <item>links open with rel="nofollow noopener noreferrer".</item>
/// </list>
/// CommonMark with tables, task lists, strikethrough and autolinks.
/// </summary>
public static partial class ProposalMarkdown
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .DisableHtml()
        .UseEmphasisExtras()
        .UsePipeTables()
        .UseTaskLists()
        .UseAutoLinks()
        .UseReferralLinks("nofollow", "noopener", "noreferrer")
        .Build();

    /// <summary>The HTML of <paramref name="markdown"/>.</summary>
    public static string ToHtml(string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        var document = Markdown.Parse(markdown, Pipeline);
        foreach (var link in document.Descendants<LinkInline>().ToList())
        {
            if (link.IsImage ? !IsSafeImage(link.Url) : !IsSafeLink(link.Url))
            {
                Unwrap(link);
            }
        }
        foreach (var autolink in document.Descendants<AutolinkInline>().ToList())
        {
            if (!IsSafeLink(autolink.Url))
            {
                autolink.ReplaceBy(new LiteralInline(autolink.Url));
            }
        }
        using var writer = new StringWriter();
        var renderer = new HtmlRenderer(writer);
        Pipeline.Setup(renderer);
        renderer.Render(document);
        writer.Flush();
        return writer.ToString();
    }

    /// <summary>True for http, https and mailto URLs, and relative ones (no scheme).</summary>
    public static bool IsSafeLink(string? url)
        => Scheme(url) is not { } scheme || scheme is "http" or "https" or "mailto";

    /// <summary>True for absolute https URLs only.</summary>
    public static bool IsSafeImage(string? url)
        => Scheme(url) == "https" && Uri.TryCreate(Clean(url!), UriKind.Absolute, out var uri) && uri.Host.Length > 0;

    // A link's text stays, without the link; an image becomes its alt text.
    private static void Unwrap(LinkInline link)
    {
        if (link.IsImage)
        {
            link.ReplaceBy(new LiteralInline(string.Concat(link.Descendants<LiteralInline>().Select(l => l.Content.ToString()))));
            return;
        }
        var anchor = (Inline)link;
        foreach (var child in link.ToList())
        {
            child.Remove();
            anchor.InsertAfter(child);
            anchor = child;
        }
        link.Remove();
    }

    /// <summary>The URL's scheme in lower case, read as a browser reads it (tabs, line breaks and controls dropped), or null when it has none.</summary>
    private static string? Scheme(string? url)
    {
        if (string.IsNullOrEmpty(url))
        {
            return null;
        }
        var match = SchemePattern().Match(Clean(url));
        return match.Success ? match.Groups[1].Value.ToLowerInvariant() : null;
    }

    // Browsers strip leading and trailing C0 controls and spaces, and every tab and line break, before reading a URL.
    private static string Clean(string url) => new([.. url.Where(c => c > ' ' && c != '\u007f')]);

    [GeneratedRegex("^([A-Za-z][A-Za-z0-9+.-]*):", RegexOptions.CultureInvariant)]
    private static partial Regex SchemePattern();
}
