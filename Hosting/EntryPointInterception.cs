using System.Reflection;

namespace Sdp.Hosting;

/// <summary>
/// Lets <see cref="DistributedApplicationTestingBuilder"/> run an AppHost's Main and take its builder at
/// <c>builder.Build()</c> instead of letting it run the app. Flows with the Main call through an AsyncLocal,
/// so concurrent tests each intercept their own Main.
/// </summary>
internal sealed class EntryPointInterception(Assembly appHostAssembly)
{
    private static readonly AsyncLocal<EntryPointInterception?> CurrentInterception = new();
    private readonly TaskCompletionSource<DistributedApplicationBuilder> _builder =
        new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static EntryPointInterception? Current
    {
        get => CurrentInterception.Value;
        set => CurrentInterception.Value = value;
    }

    public Assembly AppHostAssembly { get; } = appHostAssembly;

    public Task<DistributedApplicationBuilder> Builder => _builder.Task;

    public void HandOver(DistributedApplicationBuilder builder)
    {
        if (!_builder.TrySetResult(builder))
        {
            throw new InvalidOperationException("The AppHost's Main built more than one application.");
        }
    }
}

/// <summary>Unwinds the AppHost's Main after its builder has been handed to a test.</summary>
internal sealed class EntryPointInterceptedException() : Exception("The AppHost's Main was stopped at Build() by a test.");
