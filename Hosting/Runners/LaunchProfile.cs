using System.Text.Json;

namespace Sdp.Hosting.Runners;

/// <summary>
/// The first "Project" profile of a project's Properties/launchSettings.json: its name and environment variables
/// (ASPNETCORE_ENVIRONMENT and the like), which the host applies as <c>dotnet run</c> would.
/// </summary>
internal sealed record LaunchProfile(string Name, IReadOnlyDictionary<string, string> EnvironmentVariables)
{
    public static LaunchProfile? Read(string projectDirectory)
    {
        var path = Path.Combine(projectDirectory, "Properties", "launchSettings.json");
        if (!File.Exists(path))
        {
            return null;
        }

        using var document = JsonDocument.Parse(File.ReadAllText(path),
            new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        if (!document.RootElement.TryGetProperty("profiles", out var profiles) || profiles.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var profile in profiles.EnumerateObject())
        {
            if (profile.Value.TryGetProperty("commandName", out var command) && command.GetString() != "Project")
            {
                continue;
            }

            var environment = new Dictionary<string, string>(StringComparer.Ordinal);
            if (profile.Value.TryGetProperty("environmentVariables", out var variables) && variables.ValueKind == JsonValueKind.Object)
            {
                foreach (var variable in variables.EnumerateObject())
                {
                    environment[variable.Name] = variable.Value.ToString();
                }
            }

            return new LaunchProfile(profile.Name, environment);
        }

        return null;
    }
}
