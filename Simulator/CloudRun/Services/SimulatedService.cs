using System.Globalization;
using Sdp.Simulator.CloudRun.Model;
using Sdp.Simulator.CloudRun.Operations;
using Sdp.Templates.Hosting;

namespace Sdp.Simulator.CloudRun.Services;

/// <summary>
/// One Cloud Run service as the Simulator holds it: the resource as it was created, its state, and the
/// in-process app running it. Readers get snapshots; all changes happen under one lock.
/// </summary>
public sealed class SimulatedService
{
    private readonly Lock gate = new();
    private readonly TaskCompletionSource startupFinished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ServiceState state = ServiceState.Reconciling;
    private ConditionReason? failureReason;
    private string? failureMessage;
    private DateTimeOffset lastTransition;
    private DateTimeOffset? deleteTime;
    private RunningTemplate? instance;
    private LongRunningOperation? deletion;
    private Service requested;
    private long generation = 1;
    private DateTimeOffset? updateTime;

    public SimulatedService(ServiceName name, Service requested, DateTimeOffset createTime)
    {
        Name = name;
        this.requested = requested;
        CreateTime = createTime;
        lastTransition = createTime;
        Uid = Guid.NewGuid().ToString();
        // Cloud Run names revisions <service>-<5-digit generation>-<3 random letters>.
        RevisionId = $"{name.ServiceId}-00001-{Convert.ToHexStringLower(Guid.NewGuid().ToByteArray())[..3]}";
    }

    public ServiceName Name { get; }

    /// <summary>The Service as the client last sent it (output-only fields are replaced in snapshots).</summary>
    public Service Requested
    {
        get
        {
            lock (gate)
            {
                return requested;
            }
        }
    }

    public string Uid { get; }

    public DateTimeOffset CreateTime { get; }

    public string RevisionId { get; }

    public Container Container => Requested.Template!.Containers![0];

    /// <summary>Completes when the start attempt is over, whether it succeeded or not.</summary>
    public Task StartupFinished => startupFinished.Task;

    public RunningTemplate? Instance
    {
        get
        {
            lock (gate)
            {
                return instance;
            }
        }
    }

    public void MarkReady(RunningTemplate running, DateTimeOffset now)
    {
        lock (gate)
        {
            instance = running;
            if (state == ServiceState.Reconciling)
            {
                state = ServiceState.Ready;
                lastTransition = now;
            }
        }
    }

    public void MarkFailed(ConditionReason reason, string message, DateTimeOffset now)
    {
        lock (gate)
        {
            failureReason = reason;
            failureMessage = message;
            if (state == ServiceState.Reconciling)
            {
                state = ServiceState.Failed;
                lastTransition = now;
            }
        }
    }

    public void FinishStartup() => startupFinished.TrySetResult();

    /// <summary>
    /// Marks the service as being deleted and returns its delete operation; a second delete gets the same
    /// operation, so deleting is idempotent while it is under way.
    /// </summary>
    public LongRunningOperation BeginDelete(DateTimeOffset now, Func<Service, LongRunningOperation> startOperation, out bool started)
    {
        lock (gate)
        {
            started = deletion is null;
            if (deletion is null)
            {
                state = ServiceState.Deleting;
                deleteTime = now;
                deletion = startOperation(SnapshotLocked());
            }

            return deletion;
        }
    }

    /// <summary>
    /// Applies an update: <paramref name="updated"/> is the service with the client's changes already merged.
    /// A new generation and etag follow, as on Cloud Run. False when the service is being deleted.
    /// </summary>
    public bool TryUpdate(Service updated, DateTimeOffset now)
    {
        lock (gate)
        {
            if (deletion is not null)
            {
                return false;
            }

            requested = updated;
            generation++;
            updateTime = now;
            return true;
        }
    }

    public Service Snapshot()
    {
        lock (gate)
        {
            return SnapshotLocked();
        }
    }

    private Service SnapshotLocked()
    {
        var ready = state == ServiceState.Ready || (state == ServiceState.Deleting && instance is not null);
        var revision = $"{Name.FullName}/revisions/{RevisionId}";
        var url = ready ? instance?.Url.ToString().TrimEnd('/') : null;
        var lastChange = deleteTime ?? updateTime ?? CreateTime;
        return requested with
        {
            Name = Name.FullName,
            Uid = Uid,
            Generation = generation,
            CreateTime = CreateTime,
            UpdateTime = lastChange,
            DeleteTime = deleteTime,
            Creator = null,
            LastModifier = null,
            Ingress = requested.Ingress ?? IngressTraffic.All,
            LaunchStage = requested.LaunchStage ?? LaunchStage.Ga,
            Traffic = requested.Traffic ?? [new TrafficTarget { Type = TrafficTargetAllocationType.Latest, Percent = 100 }],
            ObservedGeneration = state == ServiceState.Reconciling ? null : generation,
            TerminalCondition = ReadyCondition("Ready"),
            Conditions = [ReadyCondition("RoutesReady"), ReadyCondition("ConfigurationsReady")],
            LatestCreatedRevision = revision,
            LatestReadyRevision = ready ? revision : null,
            TrafficStatuses = ready ? [new TrafficTargetStatus { Type = TrafficTargetAllocationType.Latest, Percent = 100 }] : null,
            Uri = url,
            Urls = url is null ? null : [url],
            SatisfiesPzs = null,
            Reconciling = state is ServiceState.Reconciling or ServiceState.Deleting,
            Etag = $"\"{lastChange.ToUnixTimeMilliseconds().ToString("x", CultureInfo.InvariantCulture)}-{generation.ToString(CultureInfo.InvariantCulture)}\"",
        };
    }

    private Condition ReadyCondition(string type) => state switch
    {
        ServiceState.Failed => new Condition
        {
            Type = type,
            State = ConditionState.Failed,
            Message = failureMessage,
            LastTransitionTime = lastTransition,
            Severity = ConditionSeverity.Error,
            Reason = failureReason,
        },
        ServiceState.Ready => new Condition { Type = type, State = ConditionState.Succeeded, LastTransitionTime = lastTransition },
        _ when instance is not null => new Condition { Type = type, State = ConditionState.Succeeded, LastTransitionTime = lastTransition },
        _ => new Condition { Type = type, State = ConditionState.Reconciling, LastTransitionTime = lastTransition },
    };

    private enum ServiceState
    {
        Reconciling,
        Ready,
        Failed,
        Deleting,
    }
}
