namespace Sdp.Orchestrator.Api.Quotas;

public static class QuotasExtensions
{
    public static IHostApplicationBuilder AddTenantQuotas(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<TenantQuotaOptions>()
            .Bind(builder.Configuration.GetSection(TenantQuotaOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        return builder;
    }
}
