using Heurist.Protocol.Miners;

namespace Heurist.Protocol.Tests.Miners;

public sealed class MinerIdentityTests
{
    [Theory]
    [InlineData("gpu-box-1")]
    [InlineData("a")]
    [InlineData("rig.4090_02")]
    [InlineData("0miner")]
    public void Valid_miner_ids_are_accepted(string id) => Assert.Null(MinerIdentity.ValidateId(id));

    [Theory]
    [InlineData(null, "is required")]
    [InlineData("", "is required")]
    [InlineData("GPU-Box", "lowercase")]
    [InlineData("-leading-dash", "start with a letter or digit")]
    [InlineData("has space", "lowercase")]
    [InlineData("emoji🙂", "lowercase")]
    public void Invalid_miner_ids_are_refused_with_a_reason(string? id, string reason)
        => Assert.Contains(reason, MinerIdentity.ValidateId(id), StringComparison.Ordinal);

    [Fact]
    public void A_miner_id_longer_than_the_limit_is_refused()
    {
        Assert.Null(MinerIdentity.ValidateId(new string('a', MinerIdentity.MaxIdLength)));
        Assert.Contains("at most 64", MinerIdentity.ValidateId(new string('a', MinerIdentity.MaxIdLength + 1)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0x70997970C51812dc3A010C7d01b50e0d17dc79C8")]
    [InlineData("0x0000000000000000000000000000000000000000")]
    [InlineData("0xabcdefabcdefabcdefabcdefabcdefabcdefabcd")]
    public void Hex_addresses_are_valid_reward_addresses(string address) => Assert.Null(MinerIdentity.ValidateRewardAddress(address));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("70997970C51812dc3A010C7d01b50e0d17dc79C8")]
    [InlineData("0x70997970C51812dc3A010C7d01b50e0d17dc79C")]
    [InlineData("0x70997970C51812dc3A010C7d01b50e0d17dc79C8a")]
    [InlineData("0x70997970C51812dc3A010C7d01b50e0d17dc79Zz")]
    public void Anything_else_is_refused_as_a_reward_address(string? address)
        => Assert.NotNull(MinerIdentity.ValidateRewardAddress(address));

    [Theory]
    [InlineData("GPU-Box-01", "gpu-box-01")]
    [InlineData("my host (lab)", "my-host-lab")]
    [InlineData("---", "miner")]
    [InlineData("Büro PC", "b-ro-pc")]
    public void Host_names_become_valid_miner_ids(string hostName, string expected)
    {
        var id = MinerIdentity.FromHostName(hostName);
        Assert.Equal(expected, id);
        Assert.Null(MinerIdentity.ValidateId(id));
    }

    [Fact]
    public void Long_host_names_are_cut_to_the_id_limit()
        => Assert.Equal(MinerIdentity.MaxIdLength, MinerIdentity.FromHostName(new string('h', 200)).Length);
}
