using Heurist.Protocol.Api.Studio;
using Microsoft.JSInterop;

namespace Heurist.Portal.Client.Shared;

/// <summary>
/// Who is creating, until wallets sign in: a random id this browser keeps in localStorage, so its gallery
/// follows it across visits. Only available once the page is interactive.
/// </summary>
public sealed class CreatorIdentity(IJSRuntime js)
{
    public const string StorageKey = "heurist.creator";

    private string? _id;

    public async Task<string> GetAsync()
    {
        if (_id is not null)
        {
            return _id;
        }
        var saved = await js.InvokeAsync<string?>("localStorage.getItem", StorageKey);
        if (CreatorIds.IsValid(saved))
        {
            return _id = saved!;
        }
        _id = Guid.NewGuid().ToString("N");
        await js.InvokeVoidAsync("localStorage.setItem", StorageKey, _id);
        return _id;
    }
}
