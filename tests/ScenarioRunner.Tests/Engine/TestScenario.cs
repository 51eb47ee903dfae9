using Sdp.ScenarioRunner.Engine;

namespace Sdp.ScenarioRunner.Tests.Engine;

/// <summary>A scenario made of the checks and load request a test gives it.</summary>
public sealed class TestScenario(
    Func<ScenarioHttp, IReadOnlyList<ScenarioCheck>>? checks = null,
    Func<ScenarioHttp, long, CancellationToken, Task<LoadOutcome>>? load = null) : IScenario
{
    public string ProblemType => "test";

    public IScenarioRun Start(ScenarioHttp http, TimeProvider time) => new Run(http, checks?.Invoke(http) ?? [], load ?? OkWhenOk);

    /// <summary>GET /load/{index}: 200 "ok" is fine, another 200 body is a wrong response, other statuses are errors.</summary>
    public static async Task<LoadOutcome> OkWhenOk(ScenarioHttp http, long index, CancellationToken cancellationToken)
    {
        var response = await http.GetAsync($"/load/{index}", cancellationToken);
        if (response.Status != 200)
        {
            return LoadOutcome.UnexpectedStatus(response.Status);
        }

        return response.Body == "ok" ? LoadOutcome.Ok : LoadOutcome.WrongResponse;
    }

    private sealed class Run(ScenarioHttp http, IReadOnlyList<ScenarioCheck> checks,
        Func<ScenarioHttp, long, CancellationToken, Task<LoadOutcome>> load) : IScenarioRun
    {
        public IReadOnlyList<ScenarioCheck> Checks => checks;

        public Task PrepareLoadAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<LoadOutcome> SendLoadRequestAsync(long index, CancellationToken cancellationToken) => load(http, index, cancellationToken);
    }
}
