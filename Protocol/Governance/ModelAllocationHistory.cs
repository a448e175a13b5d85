using Heurist.Protocol.Api;
using Heurist.Protocol.Api.Governance;

namespace Heurist.Protocol.Governance;

/// <summary>The rules of the allocation history's query (<c>?hours=</c>), shared by the API and its clients.</summary>
public static class ModelAllocationHistory
{
    /// <summary>The hours shown when the query names none.</summary>
    public const int DefaultHours = 24;

    /// <summary>The most points per model the history holds; longer spans are averaged into wider buckets.</summary>
    public const int MaxPointsPerModel = 240;

    /// <summary>The title of a refused query.</summary>
    public const string InvalidTitle = "The allocation query is invalid.";

    /// <summary>What is wrong with <paramref name="hours"/> (field "hours"); empty when it is 1 to <see cref="GovernanceRoutes.MaxAllocationHours"/>.</summary>
    public static FieldErrors Validate(int hours)
    {
        var errors = new FieldErrors();
        if (hours is < 1 or > GovernanceRoutes.MaxAllocationHours)
        {
            errors.Add("hours", HoursRule);
        }
        return errors;
    }

    /// <summary>The sentence a bad <c>hours</c> gets.</summary>
    public static string HoursRule => $"hours must be a whole number from 1 to {GovernanceRoutes.MaxAllocationHours}.";

    /// <summary>
    /// The width of one point of the history over <paramref name="hours"/>: one sample interval, or wider so that no
    /// model has more than <see cref="MaxPointsPerModel"/> points.
    /// </summary>
    public static TimeSpan Bucket(int hours, TimeSpan sampleInterval)
    {
        var even = TimeSpan.FromHours(hours) / MaxPointsPerModel;
        return even > sampleInterval ? TimeSpan.FromSeconds(Math.Ceiling(even.TotalSeconds)) : sampleInterval;
    }
}
