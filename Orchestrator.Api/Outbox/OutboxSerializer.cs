using System.Text.Json;
using Sdp.Contracts;

namespace Sdp.Orchestrator.Api.Outbox;

/// <summary>
/// The one way an outbox payload is written and read: the contract type's name and its System.Text.Json form with
/// these options. What the stores save is what the relay publishes, whichever of them saved it.
/// </summary>
public static class OutboxSerializer
{
    // Case-insensitive reading also accepts rows saved by earlier versions, whose payloads PostgreSQL built.
    private static readonly JsonSerializerOptions Options = new() { PropertyNameCaseInsensitive = true };

    private static readonly Dictionary<string, Type> MessageTypes =
        new[] { typeof(DeploymentRequested), typeof(CleanupRequested), typeof(ScenarioRunRequested) }
            .ToDictionary(type => type.Name, StringComparer.Ordinal);

    /// <summary>The contract types the outbox carries.</summary>
    public static IReadOnlyCollection<Type> Types => MessageTypes.Values;

    /// <summary>The name a row of <typeparamref name="T"/> is saved under; refuses a type the relay could not read back.</summary>
    public static string TypeName<T>() where T : class =>
        MessageTypes.TryGetValue(typeof(T).Name, out var type) && type == typeof(T)
            ? type.Name
            : throw new ArgumentException($"{typeof(T).FullName} is not a message the outbox carries.", nameof(T));

    public static string Serialize<T>(T message) where T : class => JsonSerializer.Serialize(message, Options);

    /// <summary>The contract type saved as <paramref name="messageType"/>.</summary>
    public static Type TypeOf(string messageType) =>
        MessageTypes.TryGetValue(messageType, out var type)
            ? type
            : throw new ArgumentException($"'{messageType}' is not a message the outbox carries.", nameof(messageType));

    /// <summary>The contract object a row holds.</summary>
    public static object Deserialize(string messageType, string payload) =>
        JsonSerializer.Deserialize(payload, TypeOf(messageType), Options)
        ?? throw new JsonException($"The outbox payload of a {messageType} is null.");
}
