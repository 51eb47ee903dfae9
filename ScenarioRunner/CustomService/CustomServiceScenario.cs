using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Sdp.ScenarioRunner.Engine;
using Sdp.Templates.Catalog;
using Sdp.Templates.Catalog.Custom;

namespace Sdp.ScenarioRunner.CustomService;

/// <summary>
/// <c>custom</c>: the generic service serving <see cref="Spec"/>. Per resource, three checks: a create / read / replace /
/// delete round trip, a paged list and the look-ups by indexed fields, and invalid input answered 400 naming the field.
/// Load: over every resource in turn, one create for every four reads by id. A rate-limited resource may answer 429,
/// which is its spec at work: the checks wait and retry, and under load a 429 counts as answered correctly.
/// </summary>
public sealed class CustomServiceScenario(ServiceSpec spec) : IScenario
{
    public ServiceSpec Spec { get; } = spec;

    public string ProblemType => CustomServiceTemplate.ProblemType;

    public IScenarioRun Start(ScenarioHttp http, TimeProvider time) => new CustomServiceRun(Spec, http, time);
}

/// <summary>One run of <see cref="CustomServiceScenario"/>: the items it created, by resource.</summary>
internal sealed class CustomServiceRun : IScenarioRun
{
    private const int ListedItems = 5;
    private const int PageSize = 2;
    private const int LoadItemsPerResource = 20;
    private const int ReadsPerCreate = 4;
    private const int MaxRetries = 5;

    private readonly ServiceSpec spec;
    private readonly ScenarioHttp http;
    private readonly TimeProvider time;
    private readonly SampleValues values = new(RunToken.New());
    private readonly ConcurrentDictionary<(int Resource, int Item), (string Id, JsonObject Body)> loadItems = new();

    public CustomServiceRun(ServiceSpec spec, ScenarioHttp http, TimeProvider time)
    {
        this.spec = spec;
        this.http = http;
        this.time = time;
        Checks =
        [
            .. spec.Resources.SelectMany(resource => new ScenarioCheck[]
            {
                new($"{resource.Name}_round_trip", token => RoundTripAsync(resource, token)),
                new($"{resource.Name}_list_and_look_up", token => ListAndLookUpAsync(resource, token)),
                new($"{resource.Name}_invalid_input_400", token => InvalidInputAsync(resource, token)),
            }),
        ];
    }

    public IReadOnlyList<ScenarioCheck> Checks { get; }

    private async Task RoundTripAsync(ResourceSpec resource, CancellationToken cancellationToken)
    {
        var (id, body) = await CreateAsync(resource, cancellationToken);

        var read = Expect.Status(await SendAsync(HttpMethod.Get, Item(resource, id), null, cancellationToken), 200);
        SampleValues.ExpectSame(resource, body, read.JsonObject(), read.Request);

        var replacement = values.Body(resource);
        var replaced = Expect.Status(await SendAsync(HttpMethod.Put, Item(resource, id), replacement, cancellationToken), 200);
        SampleValues.ExpectSame(resource, replacement, replaced.JsonObject(), replaced.Request);
        var reread = Expect.Status(await SendAsync(HttpMethod.Get, Item(resource, id), null, cancellationToken), 200);
        SampleValues.ExpectSame(resource, replacement, reread.JsonObject(), reread.Request + " after PUT");

        Expect.Status(await SendAsync(HttpMethod.Delete, Item(resource, id), null, cancellationToken), 204);
        Expect.Status(await SendAsync(HttpMethod.Get, Item(resource, id), null, cancellationToken), 404);
        Expect.Status(await SendAsync(HttpMethod.Put, Item(resource, id), replacement, cancellationToken), 404);
    }

    private async Task ListAndLookUpAsync(ResourceSpec resource, CancellationToken cancellationToken)
    {
        var created = new List<(string Id, JsonObject Body)>();
        for (var i = 0; i < ListedItems; i++)
        {
            created.Add(await CreateAsync(resource, cancellationToken));
        }

        // Other runs may add items at the same time: every one of this run's must be seen once, in creation order.
        var listed = await ListAsync(resource, $"limit={PageSize}", cancellationToken);
        var mine = listed.Where(id => created.Any(c => c.Id == id)).ToList();
        Expect.Equal(string.Join(",", created.Select(c => c.Id)), string.Join(",", mine),
            $"GET /api/{resource.Name} pages of {PageSize}: this run's ids in creation order");

        foreach (var field in resource.Fields.Where(f => f.Indexed))
        {
            var (id, body) = created[^1];
            var value = body[field.Name]!;
            var found = await ListAsync(resource, $"{field.Name}={Uri.EscapeDataString(SampleValues.QueryValue(value))}&limit=100",
                cancellationToken);
            Expect.True(found.Contains(id), $"GET /api/{resource.Name}?{field.Name}=…: the item {id} holding that value was not found");
        }
    }

    private async Task InvalidInputAsync(ResourceSpec resource, CancellationToken cancellationToken)
    {
        foreach (var field in resource.Fields)
        {
            foreach (var invalid in SampleValues.Invalid(field))
            {
                var body = values.Body(resource);
                body[field.Name] = invalid;
                await ExpectRefusedAsync(resource, body, field.Name, cancellationToken);
            }

            if (field.Required)
            {
                var body = values.Body(resource);
                body.Remove(field.Name);
                await ExpectRefusedAsync(resource, body, field.Name, cancellationToken);
            }
        }

        var unknown = values.Body(resource);
        unknown["sdp_no_such_field"] = 1;
        await ExpectRefusedAsync(resource, unknown, "sdp_no_such_field", cancellationToken);
        await ExpectRefusedAsync(resource, null, null, cancellationToken);
    }

    /// <summary>400 problem details naming <paramref name="field"/>; a null body is sent as broken JSON.</summary>
    private async Task ExpectRefusedAsync(ResourceSpec resource, JsonObject? body, string? field, CancellationToken cancellationToken)
    {
        var response = Expect.Status(await SendAsync(HttpMethod.Post, Collection(resource), body, cancellationToken, raw: body is null), 400);
        if (field is not null)
        {
            var errors = response.JsonObject()["errors"] as JsonObject;
            Expect.True(errors?[field] is not null,
                $"{response.Request} with {field} invalid: expected errors.{field}, got {ScenarioResponse.Excerpt(response.Body)}");
        }
    }

    public async Task PrepareLoadAsync(CancellationToken cancellationToken)
    {
        for (var r = 0; r < spec.Resources.Count; r++)
        {
            for (var i = 0; i < LoadItemsPerResource; i++)
            {
                loadItems[(r, i)] = await CreateAsync(spec.Resources[r], cancellationToken);
            }
        }
    }

    public async Task<LoadOutcome> SendLoadRequestAsync(long index, CancellationToken cancellationToken)
    {
        var r = (int)(index % spec.Resources.Count);
        var resource = spec.Resources[r];
        var step = index / spec.Resources.Count;
        if (step % (ReadsPerCreate + 1) == 0)
        {
            var created = await http.PostAsync(Collection(resource), values.Body(resource), cancellationToken);
            return created.Status switch
            {
                201 => created.JsonObject()["id"] is not null ? LoadOutcome.Ok : LoadOutcome.WrongResponse,
                429 when resource.RateLimit is not null => LoadOutcome.Ok,
                _ => LoadOutcome.UnexpectedStatus(created.Status),
            };
        }

        var (id, _) = loadItems[(r, (int)(step % LoadItemsPerResource))];
        var read = await http.GetAsync(Item(resource, id), cancellationToken);
        return read.Status switch
        {
            200 => read.JsonObject()["id"]?.GetValue<string>() == id ? LoadOutcome.Ok : LoadOutcome.WrongResponse,
            429 when resource.RateLimit is not null => LoadOutcome.Ok,
            _ => LoadOutcome.UnexpectedStatus(read.Status),
        };
    }

    private async Task<(string Id, JsonObject Body)> CreateAsync(ResourceSpec resource, CancellationToken cancellationToken)
    {
        var body = values.Body(resource);
        var response = Expect.Status(await SendAsync(HttpMethod.Post, Collection(resource), body, cancellationToken), 201);
        var created = response.JsonObject();
        var id = Expect.String(created, "id", response.Request);
        Expect.Equal(Item(resource, id), response.Header("Location"), $"{response.Request} Location");
        SampleValues.ExpectSame(resource, body, created, response.Request);
        return (id, body);
    }

    /// <summary>Every id the list yields, following next_cursor to the end.</summary>
    private async Task<List<string>> ListAsync(ResourceSpec resource, string query, CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        string? cursor = null;
        for (var page = 0; page < 1_000; page++)
        {
            var path = Collection(resource) + "?" + query + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor));
            var response = Expect.Status(await SendAsync(HttpMethod.Get, path, null, cancellationToken), 200);
            var body = response.JsonObject();
            ids.AddRange(Expect.Array(body, "items", response.Request).Select(item => Expect.String(item!.AsObject(), "id", response.Request)));
            cursor = body["next_cursor"]?.GetValue<string>();
            if (cursor is null)
            {
                return ids;
            }
        }

        throw new CheckFailedException($"GET {Collection(resource)}?{query}: more than 1000 pages; the cursor does not advance");
    }

    /// <summary>A request, retried after its Retry-After when a rate-limited resource answers 429.</summary>
    private async Task<ScenarioResponse> SendAsync(HttpMethod method, string path, JsonObject? body, CancellationToken cancellationToken,
        bool raw = false)
    {
        for (var attempt = 0; ; attempt++)
        {
            var response = raw
                ? await http.PostRawAsync(path, "{\"broken\": ", cancellationToken)
                : await http.SendAsync(method, path, body?.DeepClone(), cancellationToken);
            if (response.Status != 429 || attempt == MaxRetries)
            {
                return response;
            }

            var wait = int.TryParse(response.Header("Retry-After"), out var seconds) ? Math.Clamp(seconds, 1, 5) : 1;
            await Task.Delay(TimeSpan.FromSeconds(wait), time, cancellationToken);
        }
    }

    private static string Collection(ResourceSpec resource) => "/api/" + resource.Name;

    private static string Item(ResourceSpec resource, string id) => $"/api/{resource.Name}/{Uri.EscapeDataString(id)}";
}
