using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Sdp.Provisioning.CloudRun;

/// <summary>Fails start-up with every problem of the <c>CloudRun</c> section at once.</summary>
internal sealed partial class CloudRunOptionsValidator : IValidateOptions<CloudRunOptions>
{
    public ValidateOptionsResult Validate(string? name, CloudRunOptions options)
    {
        const string Section = CloudRunOptions.SectionName;
        var failures = new List<string>();

        if (options.Endpoint is not { IsAbsoluteUri: true } endpoint
            || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps))
        {
            failures.Add($"{Section}:Endpoint must be an absolute http(s) URL, e.g. https://run.googleapis.com or http://simulator.");
        }

        if (string.IsNullOrEmpty(options.Project) || !ProjectId().IsMatch(options.Project))
        {
            failures.Add($"{Section}:Project must be a project id (lowercase letters, digits and hyphens, starting with a letter).");
        }

        if (string.IsNullOrEmpty(options.Region) || !Region().IsMatch(options.Region))
        {
            failures.Add($"{Section}:Region must be a region name such as europe-west1.");
        }

        if (options.PollInitialDelay <= TimeSpan.Zero)
        {
            failures.Add($"{Section}:PollInitialDelay must be positive.");
        }

        if (options.PollMaxDelay < options.PollInitialDelay)
        {
            failures.Add($"{Section}:PollMaxDelay must be at least PollInitialDelay.");
        }

        if (options.ServiceDeadline <= options.PollInitialDelay)
        {
            failures.Add($"{Section}:ServiceDeadline must be longer than PollInitialDelay.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    [GeneratedRegex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex ProjectId();

    [GeneratedRegex("^[a-z][a-z0-9-]*[a-z0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex Region();
}
