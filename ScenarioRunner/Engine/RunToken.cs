using System.Security.Cryptography;

namespace Sdp.ScenarioRunner.Engine;

/// <summary>A short random token that keeps one run's names, keys and URLs apart from every other run's.</summary>
public static class RunToken
{
    public static string New() => RandomNumberGenerator.GetHexString(10, lowercase: true);
}
