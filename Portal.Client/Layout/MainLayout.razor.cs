using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.JSInterop;
using MudBlazor;

namespace Heurist.Portal.Client.Layout;

public partial class MainLayout
{
    /// <summary>The localStorage key holding "dark" or "light".</summary>
    public const string ThemeStorageKey = "heurist.theme";

    private readonly MudTheme _theme = PortalTheme.Create();
    private bool _drawerOpen = true;
    private bool _isDarkMode;
    private ErrorBoundary? _errorBoundary;

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender)
        {
            return;
        }
        try
        {
            var saved = await JS.InvokeAsync<string?>("localStorage.getItem", ThemeStorageKey);
            if (saved is "dark" or "light")
            {
                _isDarkMode = saved == "dark";
                StateHasChanged();
            }
        }
        catch (JSException)
        {
            // Storage can be blocked (private windows); the default theme is fine then.
        }
    }

    protected override void OnParametersSet() => _errorBoundary?.Recover();

    private void ToggleDrawer() => _drawerOpen = !_drawerOpen;

    private async Task ToggleDarkModeAsync()
    {
        _isDarkMode = !_isDarkMode;
        try
        {
            await JS.InvokeVoidAsync("localStorage.setItem", ThemeStorageKey, _isDarkMode ? "dark" : "light");
        }
        catch (JSException)
        {
        }
    }
}
