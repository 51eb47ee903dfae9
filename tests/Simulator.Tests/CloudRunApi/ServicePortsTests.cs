using Sdp.Simulator.CloudRun.Services;

namespace Sdp.Simulator.Tests.CloudRunApi;

/// <summary>The ports services listen on come from the Simulator's own range, one per service, kept until it is deleted.</summary>
public sealed class ServicePortsTests
{
    [Fact]
    public void Services_are_given_distinct_ports_of_the_range()
    {
        var ports = new ServicePorts(20000, 20002, isFree: _ => true);

        Assert.Equal([20000, 20001, 20002], new[] { ports.Take("a"), ports.Take("b"), ports.Take("c") });
    }

    [Fact]
    public void A_port_something_else_listens_on_is_skipped()
    {
        var ports = new ServicePorts(20000, 20009, isFree: port => port != 20000);

        Assert.Equal(20001, ports.Take("a"));
    }

    [Fact]
    public void A_kept_port_held_at_a_restart_is_not_given_to_a_new_service()
    {
        var ports = new ServicePorts(20000, 20001, isFree: _ => true);

        Assert.True(ports.TryHold("restored", 20000));

        Assert.Equal(20001, ports.Take("new"));
        Assert.False(ports.TryHold("other", 20000));
    }

    [Fact]
    public void A_deleted_services_port_is_given_again_only_after_the_rest_of_the_range()
    {
        var ports = new ServicePorts(20000, 20002, isFree: _ => true);
        var first = ports.Take("a");
        ports.Release("a");

        Assert.NotEqual(first, ports.Take("b"));
        Assert.NotEqual(first, ports.Take("c"));
        Assert.Equal(first, ports.Take("d"));
    }

    [Fact]
    public void A_service_that_moves_gives_up_its_old_port()
    {
        var ports = new ServicePorts(20000, 20001, isFree: _ => true);
        var old = ports.Take("a");

        var moved = ports.Take("a");

        Assert.NotEqual(old, moved);
        Assert.True(ports.TryHold("b", old));
    }

    [Fact]
    public void A_full_range_is_a_clear_error_naming_the_settings()
    {
        var ports = new ServicePorts(20000, 20000, isFree: _ => true);
        ports.Take("a");

        var error = Assert.Throws<InvalidOperationException>(() => ports.Take("b"));

        Assert.Contains("CloudRunSimulator:ServicePortsFrom", error.Message, StringComparison.Ordinal);
    }
}
