using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sdp.Simulator.Tests.Infrastructure;

/// <summary>
/// Checks that a JSON document has the shape of a documented one: every field of <c>expected</c> is present
/// (unless listed as not produced) with the same JSON kind, recursively; arrays are compared by their first
/// element. Extra fields in the actual document are allowed, as in Google's API.
/// </summary>
public static class JsonShape
{
    public static void AssertConforms(JsonNode expected, JsonNode? actual, params string[] notProduced)
    {
        var problems = new List<string>();
        Compare(expected, actual, "$", new HashSet<string>(notProduced, StringComparer.Ordinal), problems);
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems) + Environment.NewLine + actual?.ToJsonString());
    }

    private static void Compare(JsonNode expected, JsonNode? actual, string path, HashSet<string> notProduced, List<string> problems)
    {
        if (actual is null)
        {
            problems.Add($"{path}: missing");
            return;
        }

        var expectedKind = expected.GetValueKind();
        var actualKind = actual.GetValueKind();
        if (!SameKind(expectedKind, actualKind))
        {
            problems.Add($"{path}: expected {expectedKind}, got {actualKind} ({actual.ToJsonString()})");
            return;
        }

        switch (expected)
        {
            case JsonObject expectedObject:
                var actualObject = actual.AsObject();
                foreach (var (name, value) in expectedObject)
                {
                    var childPath = $"{path}.{name}";
                    if (actualObject.TryGetPropertyValue(name, out var actualValue))
                    {
                        Compare(value!, actualValue, childPath, notProduced, problems);
                    }
                    else if (!notProduced.Contains(childPath))
                    {
                        problems.Add($"{childPath}: missing");
                    }
                }

                break;
            case JsonArray { Count: > 0 } expectedArray when actual.AsArray().Count > 0:
                Compare(expectedArray[0]!, actual.AsArray()[0], path + "[0]", notProduced, problems);
                break;
        }
    }

    private static bool SameKind(JsonValueKind expected, JsonValueKind actual) =>
        expected == actual || (expected is JsonValueKind.True or JsonValueKind.False && actual is JsonValueKind.True or JsonValueKind.False);
}
