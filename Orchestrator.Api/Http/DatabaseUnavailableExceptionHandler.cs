using System.Net.Sockets;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace Sdp.Orchestrator.Api.Http;

/// <summary>
/// While PostgreSQL cannot be reached (stopped, restarting, out of connections), answers 503 with Retry-After
/// instead of 500: the request changed nothing and is worth repeating shortly. Nothing of the exception's text
/// reaches the client (it may name hosts).
/// </summary>
public sealed class DatabaseUnavailableExceptionHandler(
    IProblemDetailsService problems,
    ILogger<DatabaseUnavailableExceptionHandler> logger) : IExceptionHandler
{
    public const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception,
        CancellationToken cancellationToken)
    {
        if (!IsDatabaseUnavailable(exception) || httpContext.Response.HasStarted)
        {
            return false;
        }

        logger.LogWarning("The platform database is unavailable ({Error}); answering 503", exception.Message);
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Database unavailable",
                Detail = $"The platform database cannot be reached just now; nothing was changed. Retry in {RetryAfterSeconds} s.",
            },
        });
    }

    /// <summary>Connection-level trouble, as opposed to a bad statement (which stays a 500).</summary>
    public static bool IsDatabaseUnavailable(Exception exception) => exception switch
    {
        PostgresException postgres => postgres.SqlState.StartsWith("08", StringComparison.Ordinal)
                                      || postgres.SqlState is "57P01" or "57P02" or "57P03" or "53300",
        NpgsqlException npgsql => npgsql.InnerException is null or SocketException or IOException or TimeoutException
                                  || npgsql.IsTransient,
        SocketException => true,
        _ => exception.InnerException is { } inner && IsDatabaseUnavailable(inner),
    };
}
