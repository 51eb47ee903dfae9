namespace Sdp.ScenarioRunner.Engine;

/// <summary>A correctness check did not hold; <see cref="Exception.Message"/> says what was expected and what was seen.</summary>
public sealed class CheckFailedException(string detail) : Exception(detail);
