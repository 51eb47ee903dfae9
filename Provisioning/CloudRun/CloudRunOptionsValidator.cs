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

        if (options.AttemptTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{Section}:AttemptTimeout must be positive.");
        }

        if (options.MaxRetryAttempts is < 0 or > 100)
        {
            failures.Add($"{Section}:MaxRetryAttempts must be between 0 and 100.");
        }

        if (options.RetryBaseDelay <= TimeSpan.Zero)
        {
            failures.Add($"{Section}:RetryBaseDelay must be positive.");
        }

        if (options.BackPressureDelay <= TimeSpan.Zero)
        {
            failures.Add($"{Section}:BackPressureDelay must be positive.");
        }

        if (options.CircuitBreakerFailureRatio is <= 0 or > 1)
        {
            failures.Add($"{Section}:CircuitBreakerFailureRatio must be greater than 0 and at most 1.");
        }

        if (options.CircuitBreakerMinimumThroughput < 2)
        {
            failures.Add($"{Section}:CircuitBreakerMinimumThroughput must be at least 2.");
        }

        if (options.CircuitBreakerSamplingDuration < TimeSpan.FromMilliseconds(500))
        {
            failures.Add($"{Section}:CircuitBreakerSamplingDuration must be at least 0.5 s.");
        }

        if (options.CircuitBreakerBreakDuration < TimeSpan.FromMilliseconds(500))
        {
            failures.Add($"{Section}:CircuitBreakerBreakDuration must be at least 0.5 s.");
        }

        if (options.WritesPerMinute <= 0)
        {
            failures.Add($"{Section}:WritesPerMinute must be positive.");
        }

        if (options.WriteBurst <= 0)
        {
            failures.Add($"{Section}:WriteBurst must be positive.");
        }

        if (options.MaxServicesPerRegion <= 0)
        {
            failures.Add($"{Section}:MaxServicesPerRegion must be positive.");
        }

        for (var i = 0; i < options.Locations.Count; i++)
        {
            var location = options.Locations[i];
            if (string.IsNullOrWhiteSpace(location.Project) || string.IsNullOrWhiteSpace(location.Region))
            {
                failures.Add($"{Section}:Locations:{i} needs both Project and Region.");
            }

            if (location.MaxServices is <= 0)
            {
                failures.Add($"{Section}:Locations:{i}:MaxServices must be positive.");
            }
        }

        if (options.Locations.GroupBy(l => l.Parent, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            failures.Add($"{Section}:Locations lists {twice.Key} more than once.");
        }

        if (!Enum.IsDefined(options.WhenFull))
        {
            failures.Add($"{Section}:WhenFull must be Wait or Refuse.");
        }

        if (!Enum.IsDefined(options.Authentication))
        {
            failures.Add($"{Section}:Authentication must be None or GoogleDefault.");
        }

        if (options.ServiceCountRefreshInterval <= TimeSpan.Zero)
        {
            failures.Add($"{Section}:ServiceCountRefreshInterval must be positive.");
        }

        if (!Enum.IsDefined(options.SecretMode))
        {
            failures.Add($"{Section}:SecretMode must be PlainEnvironment or SecretManager.");
        }

        if (options.SecretMode == CloudRunSecretMode.SecretManager
            && options.SecretManagerEndpoint is not { IsAbsoluteUri: true, Scheme: "https" or "http" })
        {
            failures.Add($"{Section}:SecretManagerEndpoint must be an absolute http(s) URL, e.g. https://secretmanager.googleapis.com.");
        }

        CandidateServiceSettingsValidator.Validate($"{Section}:ServiceDefaults", options.ServiceDefaults, failures);
        foreach (var (template, settings) in options.Templates)
        {
            CandidateServiceSettingsValidator.Validate($"{Section}:Templates:{template}", settings, failures);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    [GeneratedRegex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex ProjectId();

    [GeneratedRegex("^[a-z][a-z0-9-]*[a-z0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex Region();
}
