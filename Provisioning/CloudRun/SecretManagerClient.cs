using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;

namespace Sdp.Provisioning.CloudRun;

/// <summary>
/// The Secret Manager v1 REST calls Sdp makes to hold candidates' credentials: create-or-add-version and delete.
/// Errors are <see cref="CloudRunApiException"/> (Google's error body has the same shape for every API).
/// </summary>
public sealed partial class SecretManagerClient(IHttpClientFactory httpClientFactory, ILogger<SecretManagerClient> logger)
{
    public const string HttpClientName = "SecretManager";

    private HttpClient Http => httpClientFactory.CreateClient(HttpClientName);

    /// <summary>
    /// Stores <paramref name="value"/> as the newest version of <c>projects/{project}/secrets/{secretId}</c>, creating
    /// the secret first; a secret that already exists (an earlier attempt) is adopted. Returns the secret's name.
    /// </summary>
    public async Task<string> StoreAsync(string project, string secretId, string value,
        IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken)
    {
        var name = SecretName(project, secretId);
        var create = new CreateSecretRequest(new Replication(new AutomaticReplication()), labels);
        using (var response = await Http.PostAsJsonAsync(
            $"/v1/projects/{Uri.EscapeDataString(project)}/secrets?secretId={Uri.EscapeDataString(secretId)}",
            create, JsonOptions, cancellationToken))
        {
            if (response.StatusCode == HttpStatusCode.Conflict)
            {
                LogAdopted(name);
            }
            else
            {
                await EnsureSuccessAsync(response, cancellationToken);
            }
        }

        var version = new AddVersionRequest(new SecretPayload(Convert.ToBase64String(Encoding.UTF8.GetBytes(value))));
        using (var response = await Http.PostAsJsonAsync($"/v1/{EscapedPath(name)}:addVersion", version, JsonOptions,
            cancellationToken))
        {
            await EnsureSuccessAsync(response, cancellationToken);
        }

        return name;
    }

    /// <summary>Deletes the secret with all its versions; false when it did not exist.</summary>
    public async Task<bool> DeleteAsync(string project, string secretId, CancellationToken cancellationToken)
    {
        var name = SecretName(project, secretId);
        using var response = await Http.DeleteAsync($"/v1/{EscapedPath(name)}", cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        await EnsureSuccessAsync(response, cancellationToken);
        LogDeleted(name);
        return true;
    }

    public static string SecretName(string project, string secretId) => $"projects/{project}/secrets/{secretId}";

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private static string EscapedPath(string name) => string.Join('/', name.Split('/').Select(Uri.EscapeDataString));

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        string? status = null;
        string? message = null;
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.TryGetProperty("error", out var error))
            {
                status = error.TryGetProperty("status", out var s) ? s.GetString() : null;
                message = error.TryGetProperty("message", out var m) ? m.GetString() : null;
            }
        }
        catch (JsonException)
        {
            // Not Google's error body (a proxy's page, say): the status code alone has to do.
        }

        throw new CloudRunApiException(response.StatusCode, status ?? CloudRunApiException.StatusFor(response.StatusCode),
            $"Secret Manager answered {(int)response.StatusCode}: {message ?? response.ReasonPhrase}");
    }

    [LoggerMessage(LogLevel.Information, "Secret {SecretName} already existed; adding a version")]
    private partial void LogAdopted(string secretName);

    [LoggerMessage(LogLevel.Information, "Deleted secret {SecretName}")]
    private partial void LogDeleted(string secretName);

    private sealed record CreateSecretRequest(Replication Replication, IReadOnlyDictionary<string, string> Labels);

    private sealed record Replication(AutomaticReplication Automatic);

    private sealed record AutomaticReplication;

    private sealed record AddVersionRequest(SecretPayload Payload);

    private sealed record SecretPayload(string Data);
}
