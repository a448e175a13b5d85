using Heurist.Protocol.Api;

namespace Heurist.Protocol.Tests.Api;

public sealed class FieldErrorsTests
{
    [Fact]
    public void A_new_set_is_valid_and_has_no_messages_for_any_field()
    {
        var errors = new FieldErrors();

        Assert.True(errors.IsValid);
        Assert.Empty(errors);
        Assert.Empty(errors["prompt"]);
    }

    [Fact]
    public void Messages_about_one_field_are_kept_in_the_order_they_were_added()
    {
        var errors = new FieldErrors()
            .Add("width", "width must be a multiple of 8 (got 770).")
            .Add("prompt", "prompt is required.")
            .Add("width", "width must be at most 2048 (got 4096).");

        Assert.False(errors.IsValid);
        Assert.Equal(["width", "prompt"], errors.Keys);
        Assert.Equal(["width must be a multiple of 8 (got 770).", "width must be at most 2048 (got 4096)."], errors["width"]);
        Assert.Equal("width must be a multiple of 8 (got 770). width must be at most 2048 (got 4096). prompt is required.", errors.ToString());
    }

    [Fact]
    public void Adding_another_set_appends_its_messages_field_by_field()
    {
        var errors = new FieldErrors().Add("seed", "seed must be between 0 and 9007199254740991 (got -1).");

        errors.AddAll(new FieldErrors().Add("seed", "a second reason.").Add("creatorId", "creatorId is required."));

        Assert.Equal(["seed must be between 0 and 9007199254740991 (got -1).", "a second reason."], errors["seed"]);
        Assert.Equal(["creatorId is required."], errors["creatorId"]);
    }

    [Fact]
    public void The_dictionary_for_a_validation_problem_is_a_copy()
    {
        var errors = new FieldErrors().Add("page", "page must be 1 or more.");

        var dictionary = errors.ToDictionary();
        dictionary["pageSize"] = ["added later"];

        Assert.Equal(["page"], errors.Keys);
        Assert.Equal(["page must be 1 or more."], dictionary["page"]);
    }

    [Fact]
    public void A_set_read_from_a_problem_keeps_every_message()
    {
        var errors = new FieldErrors([new("prompt", ["a.", "b."]), new("steps", ["c."])]);

        Assert.Equal(["a.", "b."], errors["prompt"]);
        Assert.Equal(["c."], errors["steps"]);
    }

    [Theory]
    [InlineData("", "message")]
    [InlineData("field", "")]
    public void An_error_needs_a_field_and_a_message(string field, string message)
        => Assert.Throws<ArgumentException>(() => new FieldErrors().Add(field, message));

    [Fact]
    public void A_refusal_says_its_title_and_every_message_and_keeps_its_status()
    {
        var refusal = ApiException.Invalid("The image job is invalid.", new FieldErrors().Add("prompt", "prompt is required.").Add("steps", "steps must be between 1 and 50 (got 60)."));

        Assert.Equal(400, refusal.Status);
        Assert.Equal("The image job is invalid.", refusal.Title);
        Assert.Equal("The image job is invalid. prompt is required. steps must be between 1 and 50 (got 60).", refusal.Message);
        Assert.Equal(["steps must be between 1 and 50 (got 60)."], refusal.Errors["steps"]);
    }

    [Fact]
    public void A_refusal_that_is_not_about_fields_says_only_its_title()
    {
        var refusal = new ApiException(503, "The portal is restarting.");

        Assert.Equal("The portal is restarting.", refusal.Message);
        Assert.True(refusal.Errors.IsValid);
    }
}
