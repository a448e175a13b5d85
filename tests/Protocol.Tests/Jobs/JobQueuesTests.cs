using Heurist.Protocol.Jobs;

namespace Heurist.Protocol.Tests.Jobs;

public sealed class JobQueuesTests
{
    [Theory]
    [InlineData("default")]
    [InlineData("sd15")]
    [InlineData("sdxl-lora")]
    [InlineData("flux_1_dev")]
    public void Lowercase_names_with_digits_dashes_and_underscores_are_valid(string queue) => Assert.Null(JobQueues.Validate(queue));

    [Theory]
    [InlineData(null, "must not be empty")]
    [InlineData("", "must not be empty")]
    [InlineData("Default", "may contain only")]
    [InlineData("sd 15", "may contain only")]
    [InlineData("sd.15", "may contain only")]
    public void Other_names_are_refused_with_a_reason(string? queue, string reason)
        => Assert.Contains(reason, JobQueues.Validate(queue), StringComparison.Ordinal);

    [Fact]
    public void The_default_queue_is_itself_valid() => Assert.Null(JobQueues.Validate(JobQueues.Default));
}
