using System.Diagnostics.Metrics;

namespace Sdp.Orchestrator.Api.Audit;

/// <summary><c>sdp.audit.write_failures</c> on the <c>Sdp</c> meter (<c>sdp_audit_write_failures_total</c> in Prometheus).</summary>
public sealed class AuditMetrics
{
    private readonly Counter<long> writeFailures;

    public AuditMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(SdpTelemetry.MeterName);
        writeFailures = meter.CreateCounter<long>("sdp.audit.write_failures", unit: "{entry}",
            description: "Audit entries that could not be written; the requests themselves were answered.");
    }

    public void WriteFailed() => writeFailures.Add(1);
}
