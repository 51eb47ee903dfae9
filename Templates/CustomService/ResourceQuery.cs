using System.Globalization;
using Microsoft.AspNetCore.Http;
using Sdp.Templates.Catalog.Custom;

namespace Sdp.Templates.CustomService;

/// <summary>A list request's page: its look-ups (field index → value), the cursor it continues after, and its size.</summary>
internal sealed record ResourcePage(IReadOnlyList<(int Field, object Value)> Filters, Guid? After, int Limit);

/// <summary>
/// Reads <c>?limit=&amp;cursor=&amp;&lt;indexed field&gt;=value</c>. Only indexed fields may be looked up, so every list
/// request is served from an index; anything else is a 400 naming the parameter.
/// </summary>
internal sealed class ResourceQuery(ResourceSpec resource)
{
    public (ResourcePage? Page, Dictionary<string, string> Errors) Parse(IQueryCollection query)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var filters = new List<(int, object)>();
        Guid? after = null;
        var limit = ResourceHandler.DefaultPageSize;

        foreach (var (key, values) in query)
        {
            if (values.Count != 1)
            {
                errors[ResourceBody.Bounded(key)] = "Give it once.";
                continue;
            }

            var value = values[0]!;
            switch (key)
            {
                case "limit":
                    if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var size)
                        && size is >= 1 and <= ResourceHandler.MaxPageSize)
                    {
                        limit = size;
                    }
                    else
                    {
                        errors[key] = $"Must be a whole number from 1 to {ResourceHandler.MaxPageSize}.";
                    }

                    break;
                case "cursor":
                    if (Guid.TryParse(value, out var cursor))
                    {
                        after = cursor;
                    }
                    else
                    {
                        errors[key] = "Must be the next_cursor of a previous page.";
                    }

                    break;
                default:
                    var index = ResourceBody.IndexOf(resource, key);
                    if (index < 0 || !resource.Fields[index].Indexed)
                    {
                        errors[ResourceBody.Bounded(key)] = "Not a look-up of " + resource.Name + "; it takes limit, cursor" +
                            string.Concat(resource.Fields.Where(f => f.Indexed).Select(f => ", " + f.Name)) + ".";
                        break;
                    }

                    var (parsed, error) = FieldValues.FromQuery(resource.Fields[index], value);
                    if (error is not null)
                    {
                        errors[key] = error;
                    }
                    else
                    {
                        filters.Add((index, parsed!));
                    }

                    break;
            }
        }

        return errors.Count == 0 ? (new ResourcePage(filters, after, limit), errors) : (null, errors);
    }
}
