namespace Sdp.ScenarioRunner.Engine;

/// <summary>The traffic that exercises one problem type's API.</summary>
public interface IScenario
{
    /// <summary>The problem type this scenario tests, e.g. <c>url_shortener</c>.</summary>
    string ProblemType { get; }

    /// <summary>A fresh run against <paramref name="http"/>, with state of its own (names, keys, codes it created).</summary>
    IScenarioRun Start(ScenarioHttp http, TimeProvider time);
}
