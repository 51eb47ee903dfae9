using System.Buffers.Text;
using System.Text;
using Sdp.Orchestrator.Api.Deployments;

namespace Sdp.Orchestrator.Api.Tests.Deployments;

/// <summary>The <c>limit</c> and <c>cursor</c> of every list the API pages.</summary>
public sealed class PageCursorTests
{
    [Theory]
    [InlineData(1L)]
    [InlineData(42L)]
    [InlineData(long.MaxValue)]
    public void A_cursor_handed_out_decodes_to_the_id_it_was_made_from(long id)
    {
        Assert.True(PageCursor.TryDecode(PageCursor.Encode(id), out var decoded));
        Assert.Equal(id, decoded);
    }

    [Theory]
    [InlineData("not a cursor!")]
    [InlineData("")]
    public void A_cursor_that_is_not_base64url_is_refused(string cursor)
    {
        Assert.False(PageCursor.TryDecode(cursor, out _));
    }

    [Theory]
    [InlineData("after:5")]
    [InlineData("before:-5")]
    [InlineData("before:5x")]
    [InlineData("before:")]
    public void A_well_encoded_cursor_of_another_shape_is_refused(string text)
    {
        Assert.False(PageCursor.TryDecode(Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text)), out _));
    }

    [Fact]
    public void Without_limit_or_cursor_a_page_is_the_default_size_from_the_start()
    {
        var errors = new Dictionary<string, string[]>();

        var (pageSize, beforeId) = PageCursor.ParsePage(null, null, defaultSize: 50, maxSize: 200, errors);

        Assert.Equal(50, pageSize);
        Assert.Null(beforeId);
        Assert.Empty(errors);
    }

    [Fact]
    public void A_limit_at_the_maximum_and_a_cursor_continue_after_that_id()
    {
        var errors = new Dictionary<string, string[]>();

        var (pageSize, beforeId) = PageCursor.ParsePage("200", PageCursor.Encode(17), 50, 200, errors);

        Assert.Equal(200, pageSize);
        Assert.Equal(17, beforeId);
        Assert.Empty(errors);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("201")]
    [InlineData("+5")]
    [InlineData(" 5")]
    [InlineData("ten")]
    public void A_limit_that_is_not_a_whole_number_from_one_to_the_maximum_is_refused(string limit)
    {
        var errors = new Dictionary<string, string[]>();

        PageCursor.ParsePage(limit, null, 50, 200, errors);

        Assert.Equal("limit must be a whole number from 1 to 200.", Assert.Single(errors["limit"]));
    }

    [Fact]
    public void A_bad_limit_and_a_bad_cursor_are_both_reported()
    {
        var errors = new Dictionary<string, string[]>();

        PageCursor.ParsePage("0", "bogus", 50, 200, errors);

        Assert.Equal(["cursor", "limit"], errors.Keys.Order());
    }
}
