using System.Reflection;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Configuration;

namespace Sdp.Hosting;

/// <summary>
/// Aspire.Hosting.Testing's entry: runs an AppHost's Main in-process, stops it at <c>builder.Build()</c>
/// and hands the builder to the test, which may adjust resources and then builds and starts the app.
/// </summary>
public static class DistributedApplicationTestingBuilder
{
    public static Task<IDistributedApplicationTestingBuilder> CreateAsync<TEntryPoint>(CancellationToken cancellationToken = default)
        where TEntryPoint : class => CreateAsync<TEntryPoint>([], cancellationToken);

    /// <param name="args">Passed to Main, e.g. <c>--Sdp:StateDirectory=/tmp/x --Sdp:OrchestratorPort=0 --Dashboard:Port=0</c>.</param>
    public static async Task<IDistributedApplicationTestingBuilder> CreateAsync<TEntryPoint>(
        string[] args, CancellationToken cancellationToken = default) where TEntryPoint : class
    {
        var assembly = typeof(TEntryPoint).Assembly;
        var entryPoint = assembly.EntryPoint
            ?? throw new InvalidOperationException($"Assembly {assembly.GetName().Name} has no entry point.");
        var interception = new EntryPointInterception(assembly);

        var main = Task.Run(() =>
        {
            EntryPointInterception.Current = interception;
            try
            {
                entryPoint.Invoke(null, entryPoint.GetParameters().Length == 0 ? null : [args]);
            }
            catch (TargetInvocationException e) when (e.InnerException is EntryPointInterceptedException)
            {
                // Expected: Main was stopped at Build().
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            }
        }, cancellationToken);

        await Task.WhenAny(interception.Builder, main).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (interception.Builder.IsCompletedSuccessfully)
        {
            return new TestingBuilder(await interception.Builder.ConfigureAwait(false));
        }

        await main.ConfigureAwait(false);
        throw new InvalidOperationException($"{assembly.GetName().Name}'s Main returned without calling builder.Build().");
    }

    private sealed class TestingBuilder(DistributedApplicationBuilder inner) : IDistributedApplicationTestingBuilder
    {
        public IConfigurationManager Configuration => inner.Configuration;

        public string AppHostDirectory => inner.AppHostDirectory;

        public string StateDirectory => inner.StateDirectory;

        public IReadOnlyList<IResource> Resources => inner.Resources;

        public IResourceBuilder<T> AddResource<T>(T resource) where T : Resource => inner.AddResource(resource);

        public IResourceBuilder<T> CreateResourceBuilder<T>(string name) where T : IResource => inner.CreateResourceBuilder<T>(name);

        public DistributedApplication Build() => inner.BuildCore();

        public Task<DistributedApplication> BuildAsync(CancellationToken cancellationToken = default) =>
            Task.FromResult(inner.BuildCore());
    }
}

/// <summary>The builder a test gets from <see cref="DistributedApplicationTestingBuilder"/>.</summary>
public interface IDistributedApplicationTestingBuilder : IDistributedApplicationBuilder
{
    Task<DistributedApplication> BuildAsync(CancellationToken cancellationToken = default);
}
