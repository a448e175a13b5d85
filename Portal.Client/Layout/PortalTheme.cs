using MudBlazor;

namespace Heurist.Portal.Client.Layout;

/// <summary>The portal's colours and type, in light and dark.</summary>
public static class PortalTheme
{
    public static MudTheme Create() => new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#5b3fd6",
            Secondary = "#0f9f8f",
            AppbarBackground = "#1d1640",
            Background = "#f6f5fb",
            DrawerBackground = "#ffffff",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#9d8bff",
            Secondary = "#3fd1bf",
            AppbarBackground = "#120d2b",
            Background = "#0f0d1a",
            Surface = "#19162a",
            DrawerBackground = "#141122",
        },
        Typography = new Typography
        {
            // No web fonts: the portal must look right with no internet.
            Default = new DefaultTypography
            {
                FontFamily = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"],
            },
        },
        LayoutProperties = new LayoutProperties { DrawerWidthLeft = "240px" },
    };
}
