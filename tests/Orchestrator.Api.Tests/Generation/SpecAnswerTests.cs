using Sdp.Orchestrator.Api.Generation;

namespace Sdp.Orchestrator.Api.Tests.Generation;

/// <summary>How a model's answer is read before the validator sees it.</summary>
public sealed class SpecAnswerTests
{
    private const string Spec = """{"resources": [{"name": "items", "fields": [{"name": "name", "type": "string"}]}]}""";

    [Fact]
    public void A_spec_in_a_markdown_code_fence_is_read_as_the_spec()
    {
        var check = SpecGenerator.Check($"```json\n{Spec}\n```");

        Assert.NotNull(check.Spec);
        Assert.Equal("items", check.Spec.Resources[0].Name);
    }

    [Fact]
    public void Prose_around_no_json_is_not_json()
    {
        var check = SpecGenerator.Check("Sure! Here is your spec.");

        Assert.Null(check.Spec);
        Assert.True(check.NotJson);
    }

    [Fact]
    public void An_answer_larger_than_a_spec_may_be_is_refused_unread()
    {
        var padded = Spec.Replace("\"string\"}", $"\"string\", \"note\": \"{new string('a', SpecGenerator.MaxAnswerBytes)}\"}}", StringComparison.Ordinal);

        var check = SpecGenerator.Check(padded);

        Assert.Null(check.Spec);
        Assert.Contains("bytes", check.Problems[0], StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_problem_type_and_design_are_remembered_under_one_hash_and_any_difference_is_another()
    {
        var hash = SpecGenerationStore.Hash("chat_system", "rooms and messages");

        Assert.Equal(hash, SpecGenerationStore.Hash("chat_system", "rooms and messages"));
        Assert.NotEqual(hash, SpecGenerationStore.Hash("chat_system", "rooms and messages "));
        Assert.NotEqual(hash, SpecGenerationStore.Hash("news_feed", "rooms and messages"));
        // No split of one text into problem type and design collides with another split.
        Assert.NotEqual(SpecGenerationStore.Hash("a\nb", "c"), SpecGenerationStore.Hash("a", "b\nc"));
    }
}
