using Sdp.Provisioning.Candidates;

namespace Sdp.Provisioner.Worker.Provisioning;

/// <summary>Work done once per process rather than once per deployment.</summary>
public sealed class ProvisionerStartup(ProvisioningLedger ledger, CandidateDatabase candidateDatabase) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await ledger.EnsureCreatedAsync(cancellationToken);
        await candidateDatabase.RestrictPublicAccessAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
