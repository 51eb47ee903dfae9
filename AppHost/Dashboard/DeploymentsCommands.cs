using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Sdp.AppHost.Dashboard;

/// <summary>
/// The operator's actions on the deployments resource, run in the AppHost against the Orchestrator's admin API:
/// sweep orphans now, show orphans, resize a standby pool. Results carry what the API answered (never the key).
/// </summary>
internal static class DeploymentsCommands
{
    public const string SweepOrphans = "sweep-orphans";
    public const string ShowOrphans = "show-orphans";
    public const string ResizeStandbyPool = "resize-standby-pool";

    /// <summary>The sweep waits for Cleanup.Worker, which the API gives up on after 2 min.</summary>
    private static readonly TimeSpan SweepTimeout = TimeSpan.FromMinutes(2.5);
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(35);

    public static IResourceBuilder<DeploymentsResource> WithOperatorCommands(
        this IResourceBuilder<DeploymentsResource> builder, OrchestratorAdminApi api)
    {
        builder.WithCommand(SweepOrphans, "Sweep orphans now", context => SweepAsync(api, context), new CommandOptions
        {
            Description = "Run the cleanup now: expired and stuck deployments, then the orphan sweep (POST /api/admin/cleanup).",
            ConfirmationMessage = "Remove expired deployments and orphaned resources now?",
            IconName = "Broom",
            IsHighlighted = true,
            UpdateState = EnabledWhileRunning,
        });
        builder.WithCommand(ShowOrphans, "Show orphans", context => ShowOrphansAsync(api, context), new CommandOptions
        {
            Description = "What the orphan sweep would remove, and what it is still giving time; removes nothing (GET /api/admin/orphans).",
            IconName = "DocumentSearch",
            UpdateState = EnabledWhileRunning,
        });
        builder.WithCommand(ResizeStandbyPool, "Resize standby pool", context => ResizeAsync(api, context), new CommandOptions
        {
            Description = "Set a template's standby pool size; slots are built or removed to match (PUT /api/admin/standby/{problem_type}).",
            IconName = "ArrowAutofitHeight",
            UpdateState = EnabledWhileRunning,
            Arguments = ResizeArguments(api),
            ValidateArguments = ValidateResize,
        });
        return builder;
    }

    private static ResourceCommandState EnabledWhileRunning(UpdateCommandStateContext context) =>
        context.ResourceSnapshot.State?.Text == DeploymentsSnapshot.RunningState
            ? ResourceCommandState.Enabled
            : ResourceCommandState.Disabled;

    private static async Task<ExecuteCommandResult> SweepAsync(OrchestratorAdminApi api, ExecuteCommandContext context)
    {
        var (json, failure) = await CallAsync(api, HttpMethod.Post, "/api/admin/cleanup", null, SweepTimeout, context)
            .ConfigureAwait(false);
        if (failure is not null)
        {
            return failure;
        }

        // "removed": { kind: count } — the message names what went, the result has the details.
        var removed = json.GetProperty("removed").EnumerateObject().Where(k => k.Value.GetInt64() > 0)
            .Select(k => $"{k.Value.GetInt64()} {k.Name}").ToList();
        var message = removed.Count == 0 ? "Swept: nothing to remove." : $"Swept: removed {string.Join(", ", removed)}.";
        context.Logger.LogInformation("{Message}", message);
        return CommandResults.Success(message, Pretty(json), CommandResultFormat.Json);
    }

    private static async Task<ExecuteCommandResult> ShowOrphansAsync(OrchestratorAdminApi api, ExecuteCommandContext context)
    {
        var (json, failure) = await CallAsync(api, HttpMethod.Get, "/api/admin/orphans", null, CallTimeout, context)
            .ConfigureAwait(false);
        if (failure is not null)
        {
            return failure;
        }

        var count = json.GetProperty("orphans").GetArrayLength();
        return CommandResults.Success(count == 0 ? "No orphans." : $"{count} orphaned resource(s).", Pretty(json),
            CommandResultFormat.Json, displayImmediately: true);
    }

    private static async Task<ExecuteCommandResult> ResizeAsync(OrchestratorAdminApi api, ExecuteCommandContext context)
    {
        var problemType = context.Arguments.GetString("problem_type");
        if (string.IsNullOrWhiteSpace(problemType)
            || !int.TryParse(context.Arguments.GetString("size"), NumberStyles.None, CultureInfo.InvariantCulture, out var size))
        {
            return CommandResults.Failure("Name the pool and give its size as a whole number, 0 or more.");
        }

        var (json, failure) = await CallAsync(api, HttpMethod.Put,
            $"/api/admin/standby/{Uri.EscapeDataString(problemType)}", new { size }, CallTimeout, context).ConfigureAwait(false);
        if (failure is not null)
        {
            return failure;
        }

        var message = $"Standby pool {problemType}: size {json.GetProperty("size").GetInt32()}, {json.GetProperty("ready").GetInt32()} ready now.";
        context.Logger.LogInformation("{Message}", message);
        return CommandResults.Success(message, Pretty(json), CommandResultFormat.Json);
    }

    /// <summary>
    /// The size, a whole number; the pool, a choice among the pools the Orchestrator has, read when the dialog
    /// opens. Custom choices are allowed so a client without dynamic loading can still name a pool (the API then
    /// names the templates it has, if the name is wrong). The size comes first: the dashboard focuses the first
    /// input as the dialog opens, and focusing a choice still loading its options fails in the browser.
    /// </summary>
    private static InteractionInput[] ResizeArguments(OrchestratorAdminApi api) =>
    [
        new InteractionInput
        {
            Name = "size",
            Label = "Size",
            Description = "How many ready slots to keep (0 turns the pool off).",
            InputType = InputType.Number,
            Required = true,
            Placeholder = "e.g. 4",
        },
        new InteractionInput
        {
            Name = "problem_type",
            Label = "Pool",
            Description = "The template whose standby pool to resize.",
            InputType = InputType.Choice,
            Required = true,
            AllowCustomChoice = true,
            DynamicLoading = new InputLoadOptions
            {
                AlwaysLoadOnStart = true,
                LoadCallback = async load =>
                {
                    var pools = await api.GetPoolsAsync(load.CancellationToken).ConfigureAwait(false);
                    load.Input.Options = [.. pools.Select(p => KeyValuePair.Create(p.ProblemType,
                        $"{p.ProblemType} (size {p.Size}, {p.Ready} ready)"))];
                },
            },
        },
    ];

    private static Task ValidateResize(InputsDialogValidationContext context)
    {
        var size = context.Inputs.GetString("size");
        if (!int.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            context.AddValidationError("size", "A whole number, 0 or more.");
        }

        return Task.CompletedTask;
    }

    /// <summary>Calls the API; a refusal or no answer becomes the command's failure, with the API's reason.</summary>
    private static async Task<(JsonElement Json, ExecuteCommandResult? Failure)> CallAsync(OrchestratorAdminApi api,
        HttpMethod method, string path, object? body, TimeSpan timeout, ExecuteCommandContext context)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            using var response = await api.SendAsync(method, path, body, deadline.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var reason = await OrchestratorAdminApi.DescribeFailureAsync(response, deadline.Token).ConfigureAwait(false);
                context.Logger.LogWarning("{Method} {Path} refused: {Reason}", method, path, reason);
                return (default, CommandResults.Failure($"{method} {path} refused: {reason}"));
            }

            var json = await JsonSerializer.DeserializeAsync<JsonElement>(
                await response.Content.ReadAsStreamAsync(deadline.Token).ConfigureAwait(false),
                OrchestratorFigures.Json, deadline.Token).ConfigureAwait(false);
            return (json, null);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or JsonException
            || (e is OperationCanceledException && !context.CancellationToken.IsCancellationRequested))
        {
            var reason = e is OperationCanceledException ? $"no answer within {timeout.TotalSeconds:0} s" : e.Message;
            context.Logger.LogWarning("{Method} {Path} failed: {Reason}", method, path, reason);
            return (default, CommandResults.Failure($"orchestrator-api: {reason}"));
        }
    }

    private static string Pretty(JsonElement json) =>
        JsonSerializer.Serialize(json, new JsonSerializerOptions { WriteIndented = true });
}
