using System.Text.Json;

namespace Sdp.Templates.Catalog.Custom;

/// <summary>
/// One pass over a spec document: collects every violation with its JSON pointer and builds the typed spec as it goes
/// (the spec is only handed out when nothing was found).
/// </summary>
internal sealed class SpecWalk
{
    public List<SpecViolation> Violations { get; } = [];

    public int Dropped { get; private set; }

    public ServiceSpec? Spec(JsonElement root)
    {
        if (!Expect(root, JsonValueKind.Object, "", "The spec must be a JSON object with \"resources\"."))
        {
            return null;
        }

        var properties = Properties(root, "", "resources");
        if (!properties.TryGetValue("resources", out var resources))
        {
            Add("/resources", "\"resources\" is required.");
            return null;
        }

        if (!Expect(resources, JsonValueKind.Array, "/resources", "\"resources\" must be an array."))
        {
            return null;
        }

        var count = resources.GetArrayLength();
        if (count == 0)
        {
            Add("/resources", "A spec needs at least one resource.");
        }
        else if (count > ServiceSpecLimits.MaxResources)
        {
            Add("/resources", $"A spec may have at most {ServiceSpecLimits.MaxResources} resources; this one has {count}.");
        }

        var list = new List<ResourceSpec>(Math.Min(count, ServiceSpecLimits.MaxResources));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var element in resources.EnumerateArray())
        {
            var resource = Resource(element, $"/resources/{index}");
            if (resource is not null && !seen.Add(resource.Name))
            {
                Add($"/resources/{index}/name", $"Resource name {ServiceSpecValidator.Quote(resource.Name)} is used twice.");
            }

            if (resource is not null)
            {
                list.Add(resource);
            }

            index++;
        }

        return new ServiceSpec(list);
    }

    private ResourceSpec? Resource(JsonElement element, string path)
    {
        if (!Expect(element, JsonValueKind.Object, path, "A resource must be an object."))
        {
            return null;
        }

        var properties = Properties(element, path, "name", "fields", "cache", "rate_limit");
        var name = Name(properties, path, "resource");

        List<FieldSpec>? fields = null;
        if (!properties.TryGetValue("fields", out var fieldsElement))
        {
            Add(path + "/fields", "\"fields\" is required.");
        }
        else if (Expect(fieldsElement, JsonValueKind.Array, path + "/fields", "\"fields\" must be an array."))
        {
            fields = Fields(fieldsElement, path + "/fields");
        }

        CacheSpec? cache = null;
        if (properties.TryGetValue("cache", out var cacheElement) && cacheElement.ValueKind != JsonValueKind.Null
            && Expect(cacheElement, JsonValueKind.Object, path + "/cache", "\"cache\" must be an object."))
        {
            var cacheProperties = Properties(cacheElement, path + "/cache", "ttl_seconds");
            var ttl = RequiredInteger(cacheProperties, path + "/cache", "ttl_seconds",
                ServiceSpecLimits.MinTtlSeconds, ServiceSpecLimits.MaxTtlSeconds);
            cache = ttl is null ? null : new CacheSpec(ttl.Value);
        }

        RateLimitSpec? rateLimit = null;
        if (properties.TryGetValue("rate_limit", out var limitElement) && limitElement.ValueKind != JsonValueKind.Null
            && Expect(limitElement, JsonValueKind.Object, path + "/rate_limit", "\"rate_limit\" must be an object."))
        {
            var limitProperties = Properties(limitElement, path + "/rate_limit", "requests_per_second", "burst");
            var perSecond = RequiredInteger(limitProperties, path + "/rate_limit", "requests_per_second", 1,
                ServiceSpecLimits.MaxRequestsPerSecond);
            var burst = RequiredInteger(limitProperties, path + "/rate_limit", "burst", 1, ServiceSpecLimits.MaxBurst);
            rateLimit = perSecond is null || burst is null ? null : new RateLimitSpec(perSecond.Value, burst.Value);
        }

        return name is null || fields is null ? null : new ResourceSpec(name, fields, cache, rateLimit);
    }

    private List<FieldSpec> Fields(JsonElement fields, string path)
    {
        var count = fields.GetArrayLength();
        if (count == 0)
        {
            Add(path, "A resource needs at least one field.");
        }
        else if (count > ServiceSpecLimits.MaxFieldsPerResource)
        {
            Add(path, $"A resource may have at most {ServiceSpecLimits.MaxFieldsPerResource} fields; this one has {count}.");
        }

        var list = new List<FieldSpec>(Math.Min(count, ServiceSpecLimits.MaxFieldsPerResource));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var element in fields.EnumerateArray())
        {
            var field = Field(element, $"{path}/{index}");
            if (field is not null && !seen.Add(field.Name))
            {
                Add($"{path}/{index}/name", $"Field name {ServiceSpecValidator.Quote(field.Name)} is used twice in this resource.");
            }

            if (field is not null)
            {
                list.Add(field);
            }

            index++;
        }

        return list;
    }

    private FieldSpec? Field(JsonElement element, string path)
    {
        if (!Expect(element, JsonValueKind.Object, path, "A field must be an object."))
        {
            return null;
        }

        var properties = Properties(element, path, "name", "type", "required", "indexed", "max_length");
        var name = Name(properties, path, "field");
        if (name is not null && ServiceSpecLimits.ReservedFieldNames.Contains(name))
        {
            Add(path + "/name", $"\"{name}\" is a column every resource already has; choose another name. Reserved: " +
                                string.Join(", ", ServiceSpecLimits.ReservedFieldNames) + ".");
            name = null;
        }

        string? type = null;
        if (!properties.TryGetValue("type", out var typeElement))
        {
            Add(path + "/type", "\"type\" is required.");
        }
        else if (typeElement.ValueKind != JsonValueKind.String
                 || !ServiceSpecLimits.FieldTypes.Contains(typeElement.GetString()!))
        {
            var given = typeElement.ValueKind == JsonValueKind.String
                ? ServiceSpecValidator.Quote(typeElement.GetString()!)
                : "a " + typeElement.ValueKind.ToString().ToLowerInvariant();
            Add(path + "/type", $"The type is {given}; it must be one of {string.Join(", ", ServiceSpecLimits.FieldTypes)}.");
        }
        else
        {
            type = typeElement.GetString()!;
        }

        var required = Boolean(properties, path, "required");
        var indexed = Boolean(properties, path, "indexed");
        if (indexed && type == ServiceSpecLimits.Text)
        {
            Add(path + "/indexed", "A text field cannot be indexed; use a string field (up to " +
                                   $"{ServiceSpecLimits.MaxStringLength} characters) for look-ups.");
        }

        int? maxLength = null;
        if (properties.TryGetValue("max_length", out var lengthElement) && lengthElement.ValueKind != JsonValueKind.Null)
        {
            if (type is not null and not ServiceSpecLimits.String and not ServiceSpecLimits.Text)
            {
                Add(path + "/max_length", "Only string and text fields have a max_length.");
            }
            else
            {
                var upper = type == ServiceSpecLimits.Text ? ServiceSpecLimits.MaxTextLength : ServiceSpecLimits.MaxStringLength;
                maxLength = Integer(lengthElement, path + "/max_length", 1, upper);
            }
        }

        return name is null || type is null ? null : new FieldSpec(name, type, required, indexed, maxLength);
    }

    private string? Name(Dictionary<string, JsonElement> properties, string path, string what)
    {
        if (!properties.TryGetValue("name", out var element))
        {
            Add(path + "/name", $"A {what} needs a \"name\".");
            return null;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            Add(path + "/name", $"A {what}'s name must be a string.");
            return null;
        }

        var name = element.GetString()!;
        if (!ServiceSpecValidator.IsName(name))
        {
            Add(path + "/name", $"The {what} name {ServiceSpecValidator.Quote(name)} must match {ServiceSpecLimits.NamePattern}: " +
                                $"a lower-case letter, then up to {ServiceSpecLimits.MaxNameLength - 1} lower-case letters, digits or underscores.");
            return null;
        }

        return name;
    }

    private bool Boolean(Dictionary<string, JsonElement> properties, string path, string property)
    {
        if (!properties.TryGetValue(property, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return false;
        }

        if (element.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return element.GetBoolean();
        }

        Add($"{path}/{property}", $"\"{property}\" must be true or false.");
        return false;
    }

    private int? RequiredInteger(Dictionary<string, JsonElement> properties, string path, string property, int min, int max)
    {
        if (properties.TryGetValue(property, out var element))
        {
            return Integer(element, $"{path}/{property}", min, max);
        }

        Add($"{path}/{property}", $"\"{property}\" is required.");
        return null;
    }

    private int? Integer(JsonElement element, string path, int min, int max)
    {
        if (element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out var value) && value >= min && value <= max)
        {
            return value;
        }

        Add(path, $"Must be an integer from {min} to {max}.");
        return null;
    }

    /// <summary>The object's properties by name; an unknown or repeated one is a violation.</summary>
    private Dictionary<string, JsonElement> Properties(JsonElement element, string path, params string[] known)
    {
        var properties = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            var propertyPath = path + "/" + ServiceSpecValidator.PointerToken(property.Name);
            if (!known.Contains(property.Name))
            {
                Add(propertyPath, $"Unknown property {ServiceSpecValidator.Quote(property.Name)}; allowed here: {string.Join(", ", known)}.");
            }
            else if (!properties.TryAdd(property.Name, property.Value))
            {
                Add(propertyPath, $"\"{property.Name}\" is given twice.");
            }
        }

        return properties;
    }

    private bool Expect(JsonElement element, JsonValueKind kind, string path, string message)
    {
        if (element.ValueKind == kind)
        {
            return true;
        }

        Add(path, message);
        return false;
    }

    private void Add(string path, string message)
    {
        if (Violations.Count < ServiceSpecLimits.MaxViolations)
        {
            Violations.Add(new SpecViolation(path, message));
        }
        else
        {
            Dropped++;
        }
    }
}
