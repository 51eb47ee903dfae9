using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Npgsql;
using StackExchange.Redis;

namespace Sdp.Templates.Dependencies;

/// <summary>
/// A request that fails because PostgreSQL or Redis cannot be reached answers 503 (try again later), not 500:
/// the service is healthy code waiting on a dependency. Errors PostgreSQL itself reports stay 500.
/// </summary>
internal sealed class StoreUnavailableExceptionHandler(IProblemDetailsService problemDetails,
    ILogger<StoreUnavailableExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var unavailable = exception is RedisConnectionException or RedisTimeoutException or TimeoutException
            || (exception is NpgsqlException and not PostgresException);
        if (!unavailable)
        {
            return false;
        }

        logger.LogWarning(exception, "A data store is unavailable for {Method} {Path}", httpContext.Request.Method, httpContext.Request.Path);
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "A data store is unavailable",
                Detail = "PostgreSQL or Redis did not answer. Try again shortly.",
            },
        });
    }
}
