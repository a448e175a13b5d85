using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Heurist.Portal.Client.Shared;
using Heurist.Protocol.Api;
using Heurist.Protocol.Api.Governance;

namespace Heurist.Portal.Client.Features.Governance;

/// <summary><see cref="IGovernanceClient"/> over the portal's hub and governance API (<see cref="GovernanceRoutes"/>), for WebAssembly.</summary>
public sealed class HttpGovernanceClient(HttpClient http) : IGovernanceClient
{
    public Task<GovernanceSpace> GetSpaceAsync(CancellationToken cancellationToken = default)
        => GetAsync<GovernanceSpace>(GovernanceRoutes.Space, "space", cancellationToken);

    public async Task<IReadOnlyList<ProposalSummary>> ListProposalsAsync(ProposalState? state, CancellationToken cancellationToken = default)
        => await GetAsync<List<ProposalSummary>>(GovernanceRoutes.Proposals(state), "list of proposals", cancellationToken);

    public async Task<ProposalView?> GetProposalAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        using var response = await http.GetAsync(Relative(GovernanceRoutes.Proposal(Uri.EscapeDataString(id))), cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        await ApiProblemReader.EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadFromJsonAsync<ProposalView>(cancellationToken);
    }

    public Task<VotesPage> GetVotesAsync(string id, int page, int pageSize, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return GetAsync<VotesPage>(GovernanceRoutes.Votes(Uri.EscapeDataString(id), page, pageSize), "page of votes", cancellationToken);
    }

    public async Task<VoteView?> GetVoteAsync(string id, string voter, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentException.ThrowIfNullOrEmpty(voter);
        using var response = await http.GetAsync(Relative(GovernanceRoutes.Vote(Uri.EscapeDataString(id), Uri.EscapeDataString(voter))), cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        await ApiProblemReader.EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadFromJsonAsync<VoteView>(cancellationToken);
    }

    public Task<VotingPowerView> GetVotingPowerAsync(string address, long block, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(address);
        return GetAsync<VotingPowerView>(GovernanceRoutes.Power(Uri.EscapeDataString(address), block), "voting power", cancellationToken);
    }

    public async Task<HubReceipt> SubmitAsync(string envelopeJson, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(envelopeJson);
        // The envelope goes as it was built: the signature covers its message, and re-serializing could change it.
        using var content = new StringContent(envelopeJson, Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(Relative(GovernanceRoutes.Message), content, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw await ReadRefusalAsync(response, cancellationToken);
        }
        return await response.Content.ReadFromJsonAsync<HubReceipt>(cancellationToken) is { Id.Length: > 0 } receipt
            ? receipt
            : throw new ApiException((int)response.StatusCode, "The hub answered without a receipt id.");
    }

    public async Task<string> PreviewBodyAsync(string markdown, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        using var response = await http.PostAsJsonAsync(Relative(GovernanceRoutes.Preview), new BodyPreviewRequest(markdown), cancellationToken);
        await ApiProblemReader.EnsureSuccessAsync(response, cancellationToken);
        return (await response.Content.ReadFromJsonAsync<BodyPreview>(cancellationToken))?.Html
            ?? throw new ApiException((int)response.StatusCode, "The portal answered with an empty preview.");
    }

    private async Task<T> GetAsync<T>(string route, string what, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(Relative(route), cancellationToken);
        await ApiProblemReader.EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadFromJsonAsync<T>(cancellationToken)
            ?? throw new ApiException((int)response.StatusCode, $"The portal answered with an empty {what}.");
    }

    /// <summary>
    /// The hub's refusal, <c>{ error, error_description }</c> as Snapshot's sequencer writes it, with the description as
    /// the title; any other answer (a rate limit's problem details, a proxy's page) as <see cref="ApiProblemReader"/> reads it.
    /// </summary>
    private static async Task<ApiException> ReadRefusalAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        try
        {
            var refusal = JsonSerializer.Deserialize<HubError>(await response.Content.ReadAsStringAsync(cancellationToken));
            if (refusal is not null && (refusal.Description is { Length: > 0 } || refusal.Error is { Length: > 0 }))
            {
                return new ApiException(status, refusal.Description is { Length: > 0 } description ? description : refusal.Error);
            }
        }
        catch (JsonException)
        {
        }
        return await ApiProblemReader.ReadAsync(response, cancellationToken);
    }

    private static Uri Relative(string route) => new(route, UriKind.Relative);
}
