using System.Collections.Concurrent;
using Sdp.ScenarioRunner.Invocation;

namespace Sdp.ScenarioRunner.Tests.Invocation;

/// <summary>Tokens named after their audience, with no network; the first <see cref="FailFirst"/> fetches throw.</summary>
public sealed class FakeIdTokenSource : IIdTokenSource
{
    private readonly ConcurrentQueue<string> audiences = new();
    private int failuresLeft;

    public int FailFirst
    {
        init => failuresLeft = value;
    }

    public IReadOnlyList<string> Audiences => [.. audiences];

    public static string TokenFor(string audience) => "token-for-" + audience;

    public Task<string> GetTokenAsync(string audience, CancellationToken cancellationToken)
    {
        audiences.Enqueue(audience);
        return Interlocked.Decrement(ref failuresLeft) >= 0
            ? Task.FromException<string>(new InvalidOperationException("the metadata server did not answer"))
            : Task.FromResult(TokenFor(audience));
    }
}
