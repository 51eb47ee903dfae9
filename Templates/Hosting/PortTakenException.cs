namespace Sdp.Templates.Hosting;

/// <summary>An app could not listen on the port it was given: something else listens there.</summary>
public sealed class PortTakenException(int port, Exception innerException)
    : IOException($"Port {port} is taken.", innerException)
{
    public int Port { get; } = port;
}
