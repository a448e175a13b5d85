using System.Text.Json;
using Heurist.Protocol.Api;
using Heurist.Protocol.Api.Chain;
using Heurist.Protocol.Api.Minting;
using Microsoft.AspNetCore.Components;

namespace Heurist.Portal.Client.Features.Minting;

/// <summary>One Imaginaries NFT: its image, owner, how it was made (prompt, parameters, provenance) and its mint.</summary>
public sealed partial class NftPage : IDisposable
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    // The traits shown as the prompt rather than among the parameters.
    private static readonly HashSet<string> PromptTraits = new(StringComparer.OrdinalIgnoreCase) { "prompt" };

    private readonly CancellationTokenSource _disposed = new();
    private string? _shownTokenId;
    private bool _notFound;
    private string? _error;
    private string? _transactionUrl;

    [Parameter]
    public string TokenId { get; set; } = "";

    [Inject]
    private INftClient NftClient { get; set; } = default!;

    [Inject]
    private IChainClient ChainClient { get; set; } = default!;

    // Filled while prerendering and carried to the interactive render, so the page does not load twice.
    [PersistentState]
    public NftView? Nft { get; set; }

    private string Name => Nft?.Metadata?.Name is { Length: > 0 } name ? name : $"Imaginaries #{NftTokenIds.Abbreviate(Nft?.TokenId ?? TokenId)}";

    // The provenance holds the whole prompt as the creator typed it; the description only quotes it, cut at a length.
    private string? Prompt => Nft?.Metadata is { } metadata
        ? ProvenancePrompt(metadata)
          ?? metadata.Attributes.FirstOrDefault(a => PromptTraits.Contains(a.TraitType))?.Value
          ?? (metadata.Description is { Length: > 0 } description ? description : null)
        : null;

    // The model has its own row, from the index, so a "Model" trait would repeat it.
    private IEnumerable<NftTrait> Parameters => Nft?.Metadata?.Attributes
        .Where(a => !PromptTraits.Contains(a.TraitType) && !(Nft.ModelId is not null && string.Equals(a.TraitType, "Model", StringComparison.OrdinalIgnoreCase))) ?? [];

    private static string? ProvenancePrompt(NftMetadata metadata)
        => metadata.Provenance is { ValueKind: JsonValueKind.Object } provenance
           && provenance.TryGetProperty("prompt", out var prompt) && prompt.ValueKind == JsonValueKind.String && prompt.GetString() is { Length: > 0 } text
            ? text
            : null;

    private IEnumerable<(string Name, string? Text, string? Json)> Provenance
        => Nft?.Metadata?.Provenance is { ValueKind: JsonValueKind.Object } provenance
            ? provenance.EnumerateObject().Select(p => (Humanize(p.Name), Scalar(p.Value), Scalar(p.Value) is null ? JsonSerializer.Serialize(p.Value, Indented) : null))
            : [];

    private bool HasProvenance => Nft?.Metadata?.Provenance is { ValueKind: not (JsonValueKind.Null or JsonValueKind.Undefined) };

    private string? ProvenanceJson => Nft?.Metadata?.Provenance is { ValueKind: not (JsonValueKind.Object or JsonValueKind.Null or JsonValueKind.Undefined) } other
        ? JsonSerializer.Serialize(other, Indented)
        : null;

    protected override async Task OnParametersSetAsync()
    {
        if (_shownTokenId == TokenId)
        {
            return;
        }
        _shownTokenId = TokenId;
        _notFound = false;
        _error = null;
        if (!NftTokenIds.TryToImageSha256(TokenId, out var sha256))
        {
            Nft = null;
            _notFound = true;
            return;
        }
        if (Nft is null || !string.Equals(Nft.ImageSha256, sha256, StringComparison.OrdinalIgnoreCase))
        {
            Nft = null;
            try
            {
                Nft = await NftClient.GetAsync(TokenId, _disposed.Token);
                _notFound = Nft is null;
            }
            catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or ApiException)
            {
                _error = $"Could not load this NFT: {ex.Message}";
                return;
            }
        }
        await LoadTransactionUrlAsync();
    }

    private async Task LoadTransactionUrlAsync()
    {
        if (Nft is null)
        {
            return;
        }
        try
        {
            _transactionUrl = (await ChainClient.GetChainAsync(_disposed.Token)).TransactionUrl(Nft.MintTransactionHash);
        }
        catch (Exception ex) when (ex is HttpRequestException or ApiException or OperationCanceledException)
        {
            // Without the chain there is no explorer to link; the hash is still shown.
            _transactionUrl = null;
        }
    }

    private static string? Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        JsonValueKind.Null => "—",
        _ => null,
    };

    // "modelSha256" and "model_sha256" both read "model sha256".
    private static string Humanize(string name)
    {
        var builder = new System.Text.StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (c is '_' or '-')
            {
                builder.Append(' ');
            }
            else if (char.IsUpper(c) && i > 0 && !char.IsUpper(name[i - 1]))
            {
                builder.Append(' ').Append(char.ToLowerInvariant(c));
            }
            else
            {
                builder.Append(i == 0 ? char.ToUpperInvariant(c) : c);
            }
        }
        return builder.ToString();
    }

    public void Dispose()
    {
        _disposed.Cancel();
        _disposed.Dispose();
    }
}
