using Heurist.Protocol.Auth;

namespace Heurist.Protocol.Tests.Auth;

public sealed class SiweNoncesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 17, 40, 0, TimeSpan.Zero);

    [Fact]
    public void A_created_nonce_is_17_alphanumerics_and_well_formed()
    {
        var nonce = SiweNonces.Create();

        Assert.Equal(17, nonce.Length);
        Assert.All(nonce, c => Assert.True(char.IsAsciiLetterOrDigit(c), $"'{c}' in {nonce}"));
        Assert.True(SiweNonces.IsWellFormed(nonce));
    }

    [Fact]
    public void Created_nonces_differ_and_draw_on_the_whole_alphabet()
    {
        var nonces = Enumerable.Range(0, 1000).Select(_ => SiweNonces.Create()).ToList();

        Assert.Equal(nonces.Count, nonces.Distinct(StringComparer.Ordinal).Count());
        // 17,000 uniform draws from 62 characters miss one with probability about 62 · e^(-274): never.
        Assert.Equal(62, nonces.SelectMany(n => n).Distinct().Count());
    }

    [Theory]
    [InlineData("abcd1234", true)]
    [InlineData("ABCDEFGHabcdefgh0123456789", true)]
    [InlineData(null, false)]
    [InlineData("", false)]
    [InlineData("abc1234", false)]
    [InlineData("abcd-1234", false)]
    [InlineData("abcd 1234", false)]
    [InlineData("abcdéfgh", false)]
    [InlineData("abcd１２３４", false)]
    public void Well_formed_nonces_are_8_to_64_ASCII_letters_and_digits(string? nonce, bool wellFormed)
        => Assert.Equal(wellFormed, SiweNonces.IsWellFormed(nonce));

    [Fact]
    public void The_length_limits_are_inclusive()
    {
        Assert.True(SiweNonces.IsWellFormed(new string('a', 64)));
        Assert.False(SiweNonces.IsWellFormed(new string('a', 65)));
        Assert.True(SiweNonces.IsWellFormed(new string('a', 8)));
    }

    [Fact]
    public void A_nonce_the_store_does_not_have_is_unknown()
        => Assert.Equal(NonceCheck.Unknown, SiweNonces.Check(null, Now));

    [Fact]
    public void An_unused_nonce_before_its_expiry_is_valid()
        => Assert.Equal(NonceCheck.Valid, SiweNonces.Check(new NonceState(Now.AddTicks(1), null), Now));

    [Fact]
    public void A_nonce_is_expired_from_the_instant_of_its_expiry()
    {
        Assert.Equal(NonceCheck.Expired, SiweNonces.Check(new NonceState(Now, null), Now));
        Assert.Equal(NonceCheck.Expired, SiweNonces.Check(new NonceState(Now.AddMinutes(-5), null), Now));
    }

    [Fact]
    public void A_used_nonce_is_used_before_and_after_its_expiry()
    {
        Assert.Equal(NonceCheck.Used, SiweNonces.Check(new NonceState(Now.AddMinutes(5), Now.AddMinutes(-1)), Now));
        Assert.Equal(NonceCheck.Used, SiweNonces.Check(new NonceState(Now.AddMinutes(-5), Now.AddMinutes(-6)), Now));
    }
}
