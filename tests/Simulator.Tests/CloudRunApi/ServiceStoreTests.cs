using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Sdp.Simulator.CloudRun;
using Sdp.Simulator.CloudRun.Model;
using Sdp.Simulator.CloudRun.Operations;
using Sdp.Simulator.CloudRun.Services;

namespace Sdp.Simulator.Tests.CloudRunApi;

/// <summary>The state folder's files, on a temporary folder of each test's own.</summary>
public sealed class ServiceStoreTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly string directory = Path.Combine(Path.GetTempPath(), "sdp-service-store-" + Guid.NewGuid().ToString("N"));
    private readonly ServiceStore store;

    public ServiceStoreTests()
    {
        store = NewStore();
    }

    [Fact]
    public async Task A_saved_service_loads_back_as_it_was_from_a_file_named_after_it()
    {
        await store.LoadAsync(CancellationToken.None);
        var service = NewService();
        Assert.True(service.TryUpdate(Body("second"), Now.AddMinutes(1)));

        await store.SaveAsync(service, CancellationToken.None);
        var loaded = Assert.Single(await NewStore().LoadAsync(CancellationToken.None));

        var file = Assert.Single(Directory.GetFiles(directory));
        Assert.Equal("test-project+local+svc.json", Path.GetFileName(file));
        // A service's environment holds its credentials: only the Simulator's user reads the file.
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }
        Assert.Equal(service.Name, loaded.Name);
        Assert.Equal(service.Uid, loaded.Uid);
        Assert.Equal(service.RevisionId, loaded.RevisionId);
        Assert.Equal(Now, loaded.CreateTime);
        Assert.Equal(Now.AddMinutes(1), loaded.UpdateTime);
        Assert.Equal(2, loaded.Generation);
        Assert.Null(loaded.Port);
        Assert.Equal("second", loaded.Requested.Description);
        Assert.Equal("sdp", loaded.Requested.Labels!["managed-by"]);
        Assert.Equal("sdp/url-shortener:latest", loaded.Requested.Template!.Containers![0].Image);
        var restored = SimulatedService.Restore(loaded, Now.AddMinutes(2)).Snapshot();
        Assert.Equal(service.Snapshot().Etag, restored.Etag);
    }

    [Fact]
    public async Task The_folder_is_created_at_load()
    {
        var loaded = await store.LoadAsync(CancellationToken.None);

        Assert.Empty(loaded);
        Assert.True(Directory.Exists(directory));
    }

    [Fact]
    public async Task A_write_that_fails_midway_leaves_the_previous_file_whole_and_no_temporary_file()
    {
        await store.LoadAsync(CancellationToken.None);
        var service = NewService();
        await store.SaveAsync(service, CancellationToken.None);
        var file = Assert.Single(Directory.GetFiles(directory));
        var before = await File.ReadAllTextAsync(file);
        // A long field is written (and flushed to the file) before the broken one fails the serializer.
        var broken = Body(new string('x', 200_000)) with { OtherFields = new() { ["broken"] = default } };
        Assert.True(service.TryUpdate(broken, Now.AddMinutes(1)));

        await Assert.ThrowsAnyAsync<Exception>(() => store.SaveAsync(service, CancellationToken.None));

        Assert.Equal([file], Directory.GetFiles(directory));
        Assert.Equal(before, await File.ReadAllTextAsync(file));
        Assert.Equal(1, Assert.Single(await NewStore().LoadAsync(CancellationToken.None)).Generation);
    }

    [Fact]
    public async Task A_reader_never_sees_a_partial_file_while_it_is_rewritten()
    {
        await store.LoadAsync(CancellationToken.None);
        var service = NewService();
        await store.SaveAsync(service, CancellationToken.None);
        var file = Assert.Single(Directory.GetFiles(directory));
        using var writing = new CancellationTokenSource();
        var reads = 0;
        var reader = Task.Run(async () =>
        {
            while (!writing.IsCancellationRequested)
            {
                // Throws (failing the test) on a file cut short.
                var stored = JsonSerializer.Deserialize<StoredService>(await File.ReadAllBytesAsync(file), CloudRun.Api.CloudRunJson.EnumsAsNames)!;
                var expectedLength = stored.Generation switch { 1 => "first".Length, var even when even % 2 == 0 => 100_000, _ => 1 };
                Assert.Equal(expectedLength, stored.Requested.Description!.Length);
                reads++;
            }
        });

        for (var write = 0; write < 200; write++)
        {
            // Long and short versions in turn: a reader of a file cut short or mixed would notice.
            var generation = write + 2;
            Assert.True(service.TryUpdate(Body(generation % 2 == 0 ? new string('y', 100_000) : "z"), Now.AddSeconds(write)));
            await store.SaveAsync(service, CancellationToken.None);
        }

        await writing.CancelAsync();
        await reader;
        Assert.True(reads > 0);
        Assert.Equal([file], Directory.GetFiles(directory));
    }

    [Fact]
    public async Task Nothing_is_written_once_a_service_is_being_deleted()
    {
        await store.LoadAsync(CancellationToken.None);
        var service = NewService();
        service.BeginDelete(Now, snapshot => new LongRunningOperation("projects/p/locations/local/operations/1", snapshot, Now), out _);

        await store.SaveAsync(service, CancellationToken.None);

        Assert.Empty(Directory.GetFiles(directory));
    }

    [Fact]
    public async Task Deleting_removes_the_file()
    {
        await store.LoadAsync(CancellationToken.None);
        var service = NewService();
        await store.SaveAsync(service, CancellationToken.None);

        await store.DeleteAsync(service.Name, CancellationToken.None);

        Assert.Empty(Directory.GetFiles(directory));
    }

    [Fact]
    public async Task Loading_removes_unfinished_writes_and_skips_but_keeps_unreadable_files()
    {
        await store.LoadAsync(CancellationToken.None);
        await store.SaveAsync(NewService(), CancellationToken.None);
        var unfinished = Path.Combine(directory, "test-project+local+other.json.0123.tmp");
        var unreadable = Path.Combine(directory, "test-project+local+broken.json");
        await File.WriteAllTextAsync(unfinished, "{\"version\":1,\"proj");
        await File.WriteAllTextAsync(unreadable, "{\"version\":1,\"proj");

        var loaded = await NewStore().LoadAsync(CancellationToken.None);

        Assert.Equal("svc", Assert.Single(loaded).ServiceId);
        Assert.False(File.Exists(unfinished));
        Assert.True(File.Exists(unreadable));
    }

    [Fact]
    public async Task Without_a_state_folder_nothing_is_kept()
    {
        var inMemory = new ServiceStore(Options.Create(new CloudRunSimulatorOptions()), NullLogger<ServiceStore>.Instance);

        await inMemory.SaveAsync(NewService(), CancellationToken.None);

        Assert.False(inMemory.IsEnabled);
        Assert.Empty(await inMemory.LoadAsync(CancellationToken.None));
        Assert.False(Directory.Exists(directory));
    }

    public void Dispose()
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private ServiceStore NewStore() =>
        new(Options.Create(new CloudRunSimulatorOptions { StateDirectory = directory }), NullLogger<ServiceStore>.Instance);

    private static SimulatedService NewService() => new(new ServiceName("test-project", "local", "svc"), Body("first"), Now);

    private static Service Body(string description) => new()
    {
        Description = description,
        Labels = new Dictionary<string, string> { ["managed-by"] = "sdp" },
        Template = new RevisionTemplate
        {
            Containers = [new Container { Image = "sdp/url-shortener:latest", Env = [new EnvVar { Name = "A", Value = "b" }] }],
        },
    };
}
