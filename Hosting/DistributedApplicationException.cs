namespace Sdp.Hosting;

/// <summary>The application could not start or run; <see cref="ResourceName"/> names the resource at fault, if one is.</summary>
public sealed class DistributedApplicationException : Exception
{
    public DistributedApplicationException(string message, string? resourceName = null, Exception? innerException = null)
        : base(message, innerException) => ResourceName = resourceName;

    public string? ResourceName { get; }
}
