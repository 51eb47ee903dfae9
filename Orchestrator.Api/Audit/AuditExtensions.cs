namespace Sdp.Orchestrator.Api.Audit;

public static class AuditExtensions
{
    /// <summary>
    /// The audit log, its middleware's dependencies, and the start-up write of the audit retention. Call after
    /// <c>AddDeployments()</c>: hosted services start in registration order, and the schema must be migrated first.
    /// </summary>
    public static IHostApplicationBuilder AddAudit(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<AuditLog>();
        builder.Services.AddSingleton<AuditMetrics>();
        builder.Services.AddHostedService<AuditRetentionWriter>();
        return builder;
    }

    /// <summary>
    /// Records every mutating <c>/api/</c> request. Place it first, before the exception handler (so it sees the
    /// final status) and before authentication, authorization and rate limiting (so it sees their refusals too).
    /// </summary>
    public static IApplicationBuilder UseAuditLog(this IApplicationBuilder app) =>
        app.UseMiddleware<AuditLogMiddleware>();
}
