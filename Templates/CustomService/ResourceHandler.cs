using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Sdp.Templates.Catalog.Custom;
using Sdp.Templates.Hosting;

namespace Sdp.Templates.CustomService;

/// <summary>
/// One resource's CRUD: bodies checked field by field (400 naming each field), items in the resource's table, reads by
/// id through the cache when the spec asks for one, and the resource's rate limit (429) before anything else.
/// </summary>
internal sealed class ResourceHandler(ResourceSpec resource)
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    private static readonly JsonDocumentOptions BodyOptions = new() { MaxDepth = 8 };

    private readonly ResourceTable table = new(resource);
    private readonly ResourceQuery query = new(resource);

    public async Task CreateAsync(HttpContext context)
    {
        if (await RefuseOverLimitAsync(context))
        {
            return;
        }

        var (values, problem) = await ReadBodyAsync(context);
        if (problem is not null)
        {
            await problem.ExecuteAsync(context);
            return;
        }

        var now = Now(context);
        var row = new ResourceRow(context.RequestServices.GetRequiredService<ItemIds>().Next(), values!, now, now);
        await table.InsertAsync(DataSource(context), row, context.RequestAborted);

        context.Response.StatusCode = StatusCodes.Status201Created;
        context.Response.Headers.Location = $"/api/{resource.Name}/{row.Id}";
        await WriteJsonAsync(context, row.ToJson(resource));
    }

    public async Task GetAsync(HttpContext context)
    {
        if (await RefuseOverLimitAsync(context) || await ParseIdAsync(context) is not { } id)
        {
            return;
        }

        var cache = resource.Cache is null ? null : context.RequestServices.GetRequiredService<ResourceCache>();
        if (cache is not null && await cache.FindAsync(resource, id, context.RequestAborted) is { } cached)
        {
            await WriteJsonAsync(context, cached);
            return;
        }

        var row = await table.FindAsync(DataSource(context), id, context.RequestAborted);
        if (row is null)
        {
            await NotFound(id).ExecuteAsync(context);
            return;
        }

        var json = row.ToJson(resource);
        if (cache is not null)
        {
            await cache.StoreAsync(resource, id, json, context.RequestAborted);
        }

        await WriteJsonAsync(context, json);
    }

    public async Task ReplaceAsync(HttpContext context)
    {
        if (await RefuseOverLimitAsync(context) || await ParseIdAsync(context) is not { } id)
        {
            return;
        }

        var (values, problem) = await ReadBodyAsync(context);
        if (problem is not null)
        {
            await problem.ExecuteAsync(context);
            return;
        }

        var now = Now(context);
        var createdAt = await table.UpdateAsync(DataSource(context), id, values!, now, context.RequestAborted);
        await ForgetAsync(context, id);
        if (createdAt is null)
        {
            await NotFound(id).ExecuteAsync(context);
            return;
        }

        await WriteJsonAsync(context, new ResourceRow(id, values!, createdAt.Value, now).ToJson(resource));
    }

    public async Task DeleteAsync(HttpContext context)
    {
        if (await RefuseOverLimitAsync(context) || await ParseIdAsync(context) is not { } id)
        {
            return;
        }

        var deleted = await table.DeleteAsync(DataSource(context), id, context.RequestAborted);
        await ForgetAsync(context, id);
        if (!deleted)
        {
            await NotFound(id).ExecuteAsync(context);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    /// <summary><c>?limit=&amp;cursor=</c> and look-ups by indexed fields; answers <c>{"items":[…],"next_cursor":…}</c>.</summary>
    public async Task ListAsync(HttpContext context)
    {
        if (await RefuseOverLimitAsync(context))
        {
            return;
        }

        var (page, errors) = query.Parse(context.Request.Query);
        if (page is null)
        {
            await ApiProblems.Invalid(errors).ExecuteAsync(context);
            return;
        }

        // One more than asked: whether it comes back says whether there is a next page.
        var rows = await table.ListAsync(DataSource(context), page.Filters, page.After, page.Limit + 1, context.RequestAborted);
        var more = rows.Count > page.Limit;
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("items");
            foreach (var row in rows.Take(page.Limit))
            {
                row.Write(writer, resource);
            }

            writer.WriteEndArray();
            if (more)
            {
                writer.WriteString("next_cursor", rows[page.Limit - 1].Id);
            }
            else
            {
                writer.WriteNull("next_cursor");
            }

            writer.WriteEndObject();
        }

        await WriteJsonAsync(context, buffer.WrittenMemory);
    }

    private async Task<bool> RefuseOverLimitAsync(HttpContext context)
    {
        if (resource.RateLimit is null || context.RequestServices.GetRequiredService<ResourceRateLimits>().TryAcquire(resource))
        {
            return false;
        }

        context.Response.Headers.RetryAfter = "1";
        await TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests",
            detail: $"{resource.Name} takes {resource.RateLimit.RequestsPerSecond} requests a second " +
                    $"(bursts of {resource.RateLimit.Burst}); try again shortly.").ExecuteAsync(context);
        return true;
    }

    private async Task<(object?[]? Values, IResult? Problem)> ReadBodyAsync(HttpContext context)
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(context.Request.Body, BodyOptions, context.RequestAborted);
        }
        catch (JsonException)
        {
            return (null, ApiProblems.Invalid("body", $"The body must be a JSON object of {resource.Name}'s fields."));
        }
        catch (BadHttpRequestException exception)
        {
            return (null, TypedResults.Problem(statusCode: exception.StatusCode, title: "The request body could not be read",
                detail: exception.Message));
        }

        using (document)
        {
            var (values, errors) = ResourceBody.Read(resource, document.RootElement);
            return errors.Count == 0 ? (values, null) : (null, ApiProblems.Invalid(errors));
        }
    }

    private async Task<Guid?> ParseIdAsync(HttpContext context)
    {
        var text = context.Request.RouteValues["id"] as string;
        if (Guid.TryParse(text, out var id))
        {
            return id;
        }

        await TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"No such {resource.Name}",
            detail: $"Ids of {resource.Name} are UUIDs.").ExecuteAsync(context);
        return null;
    }

    private async Task ForgetAsync(HttpContext context, Guid id)
    {
        if (resource.Cache is not null)
        {
            await context.RequestServices.GetRequiredService<ResourceCache>().RemoveAsync(resource, id, context.RequestAborted);
        }
    }

    private IResult NotFound(Guid id) => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound,
        title: $"No such {resource.Name}", detail: $"There is no {resource.Name} with the id {id}.");

    private static DateTimeOffset Now(HttpContext context) =>
        FieldValues.ToMicroseconds(context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow());

    private static NpgsqlDataSource DataSource(HttpContext context) => context.RequestServices.GetRequiredService<NpgsqlDataSource>();

    private static async Task WriteJsonAsync(HttpContext context, ReadOnlyMemory<byte> json)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.ContentLength = json.Length;
        await context.Response.Body.WriteAsync(json, context.RequestAborted);
    }
}
