using System.Text.Json;
using Sdp.Templates.Catalog.Custom;

namespace Sdp.Templates.CustomService;

/// <summary>
/// A POST or PUT body: an object holding the resource's fields, each checked against its type. A PUT replaces the
/// whole item, so both read the same way. <c>id</c>, <c>created_at</c> and <c>updated_at</c> are the service's and are
/// ignored, so a client may send back what it read.
/// </summary>
internal static class ResourceBody
{
    public static (object?[] Values, Dictionary<string, string> Errors) Read(ResourceSpec resource, JsonElement body)
    {
        var values = new object?[resource.Fields.Count];
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        if (body.ValueKind != JsonValueKind.Object)
        {
            errors["body"] = $"The body must be a JSON object of {resource.Name}'s fields.";
            return (values, errors);
        }

        var given = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in body.EnumerateObject())
        {
            if (ServiceSpecLimits.ReservedFieldNames.Contains(property.Name))
            {
                continue;
            }

            var index = IndexOf(resource, property.Name);
            if (index < 0)
            {
                errors[Bounded(property.Name)] = $"{resource.Name} has no such field; its fields are " +
                                                 string.Join(", ", resource.Fields.Select(f => f.Name)) + ".";
            }
            else if (!given.TryAdd(property.Name, property.Value))
            {
                errors[property.Name] = "Given twice.";
            }
        }

        for (var i = 0; i < resource.Fields.Count; i++)
        {
            var field = resource.Fields[i];
            if (!given.TryGetValue(field.Name, out var element))
            {
                if (field.Required)
                {
                    errors[field.Name] = "Required.";
                }

                continue;
            }

            var (value, error) = FieldValues.FromJson(field, element);
            if (error is not null)
            {
                errors[field.Name] = error;
            }

            values[i] = value;
        }

        return (values, errors);
    }

    internal static int IndexOf(ResourceSpec resource, string name)
    {
        for (var i = 0; i < resource.Fields.Count; i++)
        {
            if (string.Equals(resource.Fields[i].Name, name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>A client's own name repeated in an answer: never more than a short prefix.</summary>
    internal static string Bounded(string name) =>
        name.Length <= ServiceSpecLimits.MaxEchoedLength ? name : name[..ServiceSpecLimits.MaxEchoedLength] + "…";
}
