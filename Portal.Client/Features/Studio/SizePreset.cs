using Heurist.Protocol.Api.Studio;

namespace Heurist.Portal.Client.Features.Studio;

/// <summary>A named image size the Studio offers as a one-click choice.</summary>
public sealed record SizePreset(int Width, int Height)
{
    public string Label => $"{Width} × {Height}";

    public string Shape => (Width, Height) switch
    {
        var (w, h) when w == h => "square",
        var (w, h) when w > h => "landscape",
        _ => "portrait",
    };

    private static readonly SizePreset[] Candidates =
    [
        new(512, 512), new(768, 768), new(1024, 1024),
        new(768, 512), new(512, 768), new(1024, 768), new(768, 1024), new(1216, 832), new(832, 1216),
    ];

    /// <summary>The presets that fit the model's limits, its default size first.</summary>
    public static IReadOnlyList<SizePreset> For(StudioModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var fitting = Candidates.Where(p => p.Width >= model.MinWidth && p.Width <= model.MaxWidth && p.Height >= model.MinHeight && p.Height <= model.MaxHeight
                                            && p.Width % model.SizeMultiple == 0 && p.Height % model.SizeMultiple == 0);
        return [.. new[] { new SizePreset(model.DefaultWidth, model.DefaultHeight) }.Concat(fitting).Distinct()];
    }
}
