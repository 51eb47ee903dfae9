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
    private long generation;
    private DateTimeOffset? updateTime;

    // The port its app listens on, or last did: a restored service keeps its old one until it listens again, so a
    // write meanwhile (an update) does not lose the URL it is to get back.
    private int? port;

    /// <summary>A service being created.</summary>
    public SimulatedService(ServiceName name, Service requested, DateTimeOffset createTime)
        // Cloud Run names revisions <service>-<5-digit generation>-<3 random letters>.
        : this(name, requested, Guid.NewGuid().ToString(),
            $"{name.ServiceId}-00001-{Convert.ToHexStringLower(Guid.NewGuid().ToByteArray())[..3]}",
            createTime, updateTime: null, generation: 1, port: null, lastTransition: createTime)
    {
    }

    private SimulatedService(ServiceName name, Service requested, string uid, string revisionId, DateTimeOffset createTime,
        DateTimeOffset? updateTime, long generation, int? port, DateTimeOffset lastTransition)
    {
        Name = name;
        this.requested = requested;
        Uid = uid;
        RevisionId = revisionId;
        CreateTime = createTime;
        this.updateTime = updateTime;
        this.generation = generation;
        this.port = port;
        this.lastTransition = lastTransition;
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

    /// <summary>
    /// A service kept from before the Simulator restarted: everything it was, reconciling until its app listens again.
    /// </summary>
    public static SimulatedService Restore(StoredService stored, DateTimeOffset now) =>
        new(stored.Name, stored.Requested, stored.Uid, stored.RevisionId, stored.CreateTime, stored.UpdateTime,
            stored.Generation, stored.Port, lastTransition: now);

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
            port = running.Url.Port;
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

    /// <summary>
    /// What to keep of it, read at once so the parts agree; null once it is being deleted, when its file is about to go
    /// and writing it again could bring a deleted service back.
    /// </summary>
    public StoredService? ToStored()
    {
        lock (gate)
        {
            return deletion is not null ? null : new StoredService
            {
                Project = Name.Project,
                Location = Name.Location,
                ServiceId = Name.ServiceId,
                Requested = requested,
                Uid = Uid,
                RevisionId = RevisionId,
                CreateTime = CreateTime,
                UpdateTime = updateTime,
                Generation = generation,
                Port = port,
            };
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
