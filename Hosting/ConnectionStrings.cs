using System.Data.Common;

namespace Sdp.Hosting;

/// <summary>The connection-string formats of Aspire's hosting integrations, which the services' clients read.</summary>
public static class ConnectionStrings
{
    /// <summary><c>Host=h;Port=p;Username=u;Password=pw[;Database=db]</c>, values quoted where they need it.</summary>
    public static string Postgres(string host, int port, string userName, string password, string? database)
    {
        var builder = new DbConnectionStringBuilder
        {
            ["Host"] = host,
            ["Port"] = port,
            ["Username"] = userName,
            ["Password"] = password,
        };
        if (database is not null)
        {
            builder["Database"] = database;
        }

        return builder.ConnectionString;
    }

    /// <summary><c>h:p,password=pw</c> (StackExchange.Redis configuration syntax).</summary>
    public static string Redis(string host, int port, string password) => $"{host}:{port},password={password}";

    /// <summary><c>amqp://user:pw@h:p</c> with user and password URI-encoded.</summary>
    public static string RabbitMQ(string host, int port, string userName, string password) =>
        $"amqp://{Uri.EscapeDataString(userName)}:{Uri.EscapeDataString(password)}@{host}:{port}";
}
