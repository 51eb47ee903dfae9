using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.Hosting;

public static class ConfigurationExtensions
{
    /// <summary>Reads <c>ConnectionStrings__{name}</c> or fails start-up with a message naming it.</summary>
    public static string GetRequiredConnectionString(this IConfiguration configuration, string name)
    {
        var connectionString = configuration.GetConnectionString(name);
        return string.IsNullOrWhiteSpace(connectionString)
            ? throw new InvalidOperationException(
                $"ConnectionString is missing. It should be provided in 'ConnectionStrings:{name}'.")
            : connectionString;
    }
}
