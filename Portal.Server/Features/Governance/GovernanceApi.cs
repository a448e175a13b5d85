using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Heurist.Protocol.Api;
using Heurist.Protocol.Api.Governance;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Heurist.Portal.Server.Features.Governance;

/// <summary>
/// The Snapshot hub and the governance reads. POST /api/msg takes what snapshot.js's Client712 posts and answers as
/// Snapshot's sequencer does: 200 with <c>{ id, type }</c>, or <c>{ error: "client_error", error_description }</c> with
/// 400 (413 for an envelope over the size limit; "server_error" and 503 when the chain cannot be asked). The GETs answer
/// JSON with a strong ETag and Cache-Control: no-cache, and 304 to a matching If-None-Match.
/// </summary>
public static class GovernanceApi
{
    public static IEndpointRouteBuilder MapGovernanceApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var api = app.MapGroup("/").WithTags("Governance");

        api.MapPost(GovernanceRoutes.Message, PostMessageAsync)
            .WithName("PostSnapshotMessage")
            .WithSummary("A signed Snapshot message (Proposal, Vote in its three forms, CancelProposal) as snapshot.js's Client712 posts it: { address, sig, data: { domain, types, message } }.")
            .WithDescription("200 with { id, type }: id is the EIP-712 hash of the signed data. A refusal is { error: \"client_error\", error_description } naming the reason, with 400, or 413 for an envelope over 100,000 characters; 503 ({ error: \"server_error\" }) when the chain cannot be asked.")
            .Accepts<string>("application/json", "text/plain")
            .Produces<HubReceipt>()
            .Produces<HubError>(StatusCodes.Status400BadRequest)
            .Produces<HubError>(StatusCodes.Status413PayloadTooLarge)
            .Produces<HubError>(StatusCodes.Status503ServiceUnavailable);

        api.MapGet(GovernanceRoutes.SignedMessage("{id}"), async (string id, HttpContext context, GovernanceService governance, CancellationToken cancellationToken)
                => await governance.GetMessageAsync(id, cancellationToken) is { } envelope
                    ? Answer(context, Encoding.UTF8.GetBytes(envelope))
                    : NotFound($"There is no signed message {id}."))
            .WithName("GetSnapshotMessage")
            .WithSummary("A stored signed message (proposal, vote or cancellation), byte for byte as it was posted, to verify again.")
            .Produces(StatusCodes.Status200OK, contentType: "application/json")
            .Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet(GovernanceRoutes.Space, async (HttpContext context, GovernanceService governance, IOptions<JsonOptions> json, CancellationToken cancellationToken)
                => Answer(context, Serialize(await governance.GetSpaceAsync(cancellationToken), json)))
            .WithName("GetGovernanceSpace")
            .WithSummary("The space: its id, the proposal threshold, the longest body, the chain's latest block, the weights of voting power and the catalog's image models.")
            .Produces<GovernanceSpace>()
            .Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        api.MapGet(GovernanceRoutes.Proposals(), ListProposalsAsync)
            .WithName("GetProposals")
            .WithSummary($"The proposals, newest first (at most {GovernanceService.ListLimit}): state = pending, active, closed or cancelled; every one but the cancelled without it.")
            .Produces<IReadOnlyList<ProposalSummary>>()
            .Produces(StatusCodes.Status304NotModified)
            .ProducesValidationProblem();

        api.MapGet(GovernanceRoutes.Proposal("{id}"), async (string id, HttpContext context, GovernanceService governance, IOptions<JsonOptions> json, CancellationToken cancellationToken)
                => await governance.GetProposalAsync(id, cancellationToken) is { } view
                    ? Answer(context, Serialize(view, json))
                    : NotFound($"There is no proposal {id}."))
            .WithName("GetProposal")
            .WithSummary("A proposal with its body (Markdown and safe HTML) and its results: live while open, frozen once closed.")
            .Produces<ProposalView>()
            .Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet(GovernanceRoutes.Proposal("{id}") + "/votes", GetVotesAsync)
            .WithName("GetProposalVotes")
            .WithSummary($"A page of the counted votes (each voter's last), largest power first: page from 1, pageSize 1 to {VotesPage.MaxPageSize} (default {VotesPage.DefaultPageSize}).")
            .Produces<VotesPage>()
            .Produces(StatusCodes.Status304NotModified)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet(GovernanceRoutes.Vote("{id}", "{voter}"), GetVoteAsync)
            .WithName("GetProposalVote")
            .WithSummary("One voter's counted vote (their last in the window); 404 when they have none.")
            .Produces<VoteView>()
            .Produces(StatusCodes.Status304NotModified)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet(GovernanceRoutes.SignedVotes("{id}"), async (string id, HttpContext context, GovernanceService governance, CancellationToken cancellationToken)
                => await governance.GetSignedVotesAsync(id, cancellationToken) is { } envelopes
                    ? Answer(context, Encoding.UTF8.GetBytes(envelopes))
                    : NotFound($"There is no proposal {id}."))
            .WithName("GetProposalSignedVotes")
            .WithSummary("Every signed vote of the proposal, superseded ones too, oldest first: a JSON array of the envelopes as posted, for anyone to verify again.")
            .Produces(StatusCodes.Status200OK, contentType: "application/json")
            .Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("api/governance/power/{address}", GetPowerAsync)
            .WithName("GetVotingPower")
            .WithSummary("An address's voting power at a block (default: the latest): HEU, esHEU, staked HEU and staked esHEU in tokens, read with eth_call at that block, and the weighted total.")
            .Produces<VotingPowerView>()
            .Produces(StatusCodes.Status304NotModified)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        api.MapPost(GovernanceRoutes.Preview, PreviewAsync)
            .WithName("PreviewProposalBody")
            .WithSummary("{ markdown } in, { html } out: the HTML the proposal page shows (raw HTML escaped, links only http(s), mailto and relative, images only https).")
            .ProducesValidationProblem();
        return app;
    }

    private static async Task<IResult> PostMessageAsync(HttpRequest request, SnapshotHub hub, CancellationToken cancellationToken)
    {
        var body = await ReadTextAsync(request, Protocol.Governance.SnapshotEnvelope.MaxLength, cancellationToken);
        if (body is null)
        {
            return Hub(HubResult.Refused(
                $"{Protocol.Governance.SnapshotEnvelope.TooLarge}: the envelope is longer than {Protocol.Governance.SnapshotEnvelope.MaxLength:N0} characters",
                StatusCodes.Status413PayloadTooLarge));
        }
        return Hub(await hub.IngestAsync(body, cancellationToken));
    }

    private static IResult Hub(HubResult result)
        => result.IsAccepted ? TypedResults.Ok(result.Receipt) : TypedResults.Json(result.Error, statusCode: result.Status);

    private static async Task<IResult> ListProposalsAsync(string? state, HttpContext context, GovernanceService governance, IOptions<JsonOptions> json, CancellationToken cancellationToken)
    {
        ProposalState? filter = null;
        if (!string.IsNullOrEmpty(state))
        {
            if (!Enum.TryParse<ProposalState>(state, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || state.Any(char.IsAsciiDigit))
            {
                return TypedResults.ValidationProblem(
                    new FieldErrors().Add("state", "state must be pending, active, closed or cancelled.").ToDictionary(),
                    title: "The proposal list query is invalid.");
            }
            filter = parsed;
        }
        return Answer(context, Serialize(await governance.ListProposalsAsync(filter, cancellationToken), json));
    }

    private static async Task<IResult> GetVotesAsync(
        string id, string? page, string? pageSize, HttpContext context, GovernanceService governance, IOptions<JsonOptions> json, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var pageNumber = ReadInt(page, 1, "page", errors);
        var size = ReadInt(pageSize, VotesPage.DefaultPageSize, "pageSize", errors);
        try
        {
            if (!errors.IsValid)
            {
                throw ApiException.Invalid(GovernanceService.InvalidPageTitle, errors);
            }
            return Answer(context, Serialize(await governance.GetVotesAsync(id, pageNumber, size, cancellationToken), json));
        }
        catch (ApiException refused) when (refused.Status == StatusCodes.Status400BadRequest)
        {
            return TypedResults.ValidationProblem(refused.Errors.ToDictionary(), title: refused.Title);
        }
        catch (ApiException refused) when (refused.Status == StatusCodes.Status404NotFound)
        {
            return NotFound(refused.Title);
        }
    }

    private static async Task<IResult> GetVoteAsync(
        string id, string voter, HttpContext context, GovernanceService governance, IOptions<JsonOptions> json, CancellationToken cancellationToken)
    {
        try
        {
            return await governance.GetVoteAsync(id, voter, cancellationToken) is { } vote
                ? Answer(context, Serialize(vote, json))
                : NotFound($"{voter} has no counted vote on proposal {id}.");
        }
        catch (ApiException refused) when (refused.Status == StatusCodes.Status400BadRequest)
        {
            return TypedResults.ValidationProblem(refused.Errors.ToDictionary(), title: refused.Title);
        }
        catch (ApiException refused) when (refused.Status == StatusCodes.Status404NotFound)
        {
            return NotFound(refused.Title);
        }
    }

    private static async Task<IResult> GetPowerAsync(
        string address, string? block, HttpContext context, GovernanceService governance, VotingPowerService power, IOptions<JsonOptions> json, CancellationToken cancellationToken)
    {
        try
        {
            long at;
            if (string.IsNullOrEmpty(block))
            {
                at = await power.LatestBlockAsync(cancellationToken);
            }
            else if (!long.TryParse(block, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out at))
            {
                return TypedResults.ValidationProblem(new FieldErrors().Add("block", "block must be a block number: a whole number, 0 or more.").ToDictionary(),
                    title: VotingPowerService.InvalidTitle);
            }
            return Answer(context, Serialize(await governance.GetVotingPowerAsync(address, at, cancellationToken), json));
        }
        catch (ApiException refused) when (refused.Status == StatusCodes.Status400BadRequest)
        {
            return TypedResults.ValidationProblem(refused.Errors.ToDictionary(), title: refused.Title);
        }
        catch (ApiException unavailable) when (unavailable.Status == StatusCodes.Status503ServiceUnavailable)
        {
            return TypedResults.Problem(statusCode: unavailable.Status, title: "The chain could not be asked.", detail: unavailable.Title);
        }
    }

    private static async Task<Results<Ok<BodyPreview>, ValidationProblem>> PreviewAsync(BodyPreviewRequest? request, GovernanceService governance, CancellationToken cancellationToken)
    {
        try
        {
            if (request?.Markdown is not { } markdown)
            {
                throw ApiException.Invalid(GovernanceService.InvalidPreviewTitle, new FieldErrors().Add("markdown", "markdown is required: { \"markdown\": \"…\" }."));
            }
            return TypedResults.Ok(new BodyPreview(await governance.PreviewBodyAsync(markdown, cancellationToken)));
        }
        catch (ApiException refused) when (refused.Status == StatusCodes.Status400BadRequest)
        {
            return TypedResults.ValidationProblem(refused.Errors.ToDictionary(), title: refused.Title);
        }
    }

    /// <summary>The request body as UTF-8 text, or null when it is longer than <paramref name="maxCharacters"/>.</summary>
    private static async Task<string?> ReadTextAsync(HttpRequest request, int maxCharacters, CancellationToken cancellationToken)
    {
        // UTF-8 takes at most 4 bytes a character; reading one character past the limit tells a long body apart.
        if (request.ContentLength > 4L * (maxCharacters + 1))
        {
            return null;
        }
        using var reader = new StreamReader(request.Body, Encoding.UTF8, detectEncodingFromByteOrderMarks: false);
        // Rented: a buffer of the limit's size is a large-object allocation, and one per message made the GC's
        // full collections the hub's largest cost under load.
        var buffer = ArrayPool<char>.Shared.Rent(maxCharacters + 1);
        try
        {
            var read = 0;
            while (read <= maxCharacters)
            {
                var count = await reader.ReadAsync(buffer.AsMemory(read, maxCharacters + 1 - read), cancellationToken);
                if (count == 0)
                {
                    break;
                }
                read += count;
            }
            return read > maxCharacters ? null : new string(buffer, 0, read);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    private static int ReadInt(string? text, int fallback, string field, FieldErrors errors)
    {
        if (string.IsNullOrEmpty(text))
        {
            return fallback;
        }
        if (int.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }
        errors.Add(field, $"{field} must be a whole number.");
        return fallback;
    }

    private static ProblemHttpResult NotFound(string title) => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: title);

    private static byte[] Serialize<T>(T value, IOptions<JsonOptions> json) => JsonSerializer.SerializeToUtf8Bytes(value, json.Value.SerializerOptions);

    // If-None-Match compares tags weakly (RFC 9110 13.1.2): W/"x" matches "x".
    private static IResult Answer(HttpContext context, byte[] utf8)
    {
        var tag = "\"" + Convert.ToBase64String(SHA256.HashData(utf8).AsSpan(0, 12)).Replace('+', '-').Replace('/', '_') + "\"";
        var headers = context.Response.Headers;
        headers.ETag = tag;
        headers.CacheControl = "no-cache";
        var tags = context.Request.Headers.IfNoneMatch;
        if (tags.Count > 0 && EntityTagHeaderValue.TryParseList(tags, out var parsed)
            && parsed.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Tag == tag))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }
        return TypedResults.Bytes(utf8, "application/json");
    }
}
