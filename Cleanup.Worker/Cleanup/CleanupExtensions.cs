namespace Sdp.Cleanup.Worker.Cleanup;

public static class CleanupExtensions
{
    public static IHostApplicationBuilder AddCleanup(this IHostApplicationBuilder builder)
    {
        builder.AddCloudRunDeploymentTarget();
        builder.AddCandidateResources();
        builder.Services.AddSingleton(TimeProvider.System);
        return builder;
    }
}
