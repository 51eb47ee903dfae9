using System.Globalization;

namespace Sdp.ScenarioRunner.Engine;

/// <summary>How one load request went: fine, or an error of a kind the report counts.</summary>
public readonly record struct LoadOutcome(string? ErrorKind)
{
    public const string TimeoutKind = "timeout";
    public const string ConnectionKind = "connection";
    public const string WrongResponseKind = "wrong_response";

    /// <summary>Scheduled in the load window but never sent: every slot was busy until the window closed.</summary>
    public const string NotSentKind = "not_sent";

    public static LoadOutcome Ok { get; } = new(null);

    /// <summary>The status was right but the body (or a header) was not what the API promises.</summary>
    public static LoadOutcome WrongResponse { get; } = new(WrongResponseKind);

    public bool IsError => ErrorKind is not null;

    /// <summary><c>http_503</c> and the like.</summary>
    public static LoadOutcome UnexpectedStatus(int status) =>
        new(string.Create(CultureInfo.InvariantCulture, $"http_{status}"));
}
