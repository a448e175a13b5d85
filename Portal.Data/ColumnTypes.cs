using Heurist.Protocol.Jobs;
using Heurist.Protocol.Miners;

namespace Heurist.Portal.Data;

/// <summary>
/// Sizes and store types that several columns share, so that the model, the hand-written SQL and the network generator
/// agree on them. Changing one changes the schema: a migration goes with it.
/// </summary>
public static class ColumnTypes
{
    /// <summary>A catalog model id, which is also its queue name.</summary>
    public const int ModelIdLength = 100;

    public const int MinerIdLength = MinerIdentity.MaxIdLength;

    public const int PromptLength = ImageJobRules.MaxPromptLength;

    /// <summary>A sha256 in lowercase hex, without 0x.</summary>
    public const int Sha256Length = 64;

    /// <summary>An enum stored by its name.</summary>
    public const int EnumLength = 16;

    /// <summary>A 32-byte hash as lowercase 0x-hex: transaction hashes, on-chain miner ids, Merkle roots.</summary>
    public const string Hash = "character varying(66)";

    /// <summary>A 20-byte address as 0x-hex.</summary>
    public const string Address = "character varying(42)";

    /// <summary>Points, kept to <see cref="PointsScale"/> decimals.</summary>
    public const string Points = "numeric(20,6)";

    /// <summary>The decimals of <see cref="Points"/>: a value written with more is rounded by PostgreSQL.</summary>
    public const int PointsScale = 6;

    /// <summary>A token amount in wei: 78 digits hold any uint256.</summary>
    public const string Wei = "numeric(78,0)";

    /// <summary>A token amount in whole tokens with all 18 decimals: voting power, quorums.</summary>
    public const string TokenAmount = "numeric(46,18)";

    /// <summary>A Snapshot space id (an ENS name or any short id).</summary>
    public const int SpaceLength = 64;

    public const string Json = "jsonb";
}
