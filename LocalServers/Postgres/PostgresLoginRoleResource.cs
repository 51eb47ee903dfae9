using Aspire.Hosting.ApplicationModel;
using Npgsql;

namespace Sdp.LocalServers.Postgres;

/// <summary>
/// A login role that may connect to one database and do nothing an administrator does. Its parent is any PostgreSQL
/// database resource with a connection string (a local one, or Aspire's container one); its connection string is the
/// database's with the role's name and generated password.
/// </summary>
public sealed class PostgresLoginRoleResource(string name, string roleName, IResourceWithConnectionString database,
    ParameterResource password)
    : Resource(name), IResourceWithParent<IResourceWithConnectionString>, IResourceWithConnectionString, IResourceWithWaitSupport
{
    public string RoleName { get; } = roleName;

    public IResourceWithConnectionString Parent { get; } = database;

    public ParameterResource PasswordParameter { get; } = password;

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create($"{new RoleConnectionString(this)}");

    /// <summary>The database's connection string with the role's credentials in place of the owner's.</summary>
    private sealed class RoleConnectionString(PostgresLoginRoleResource role) : IValueProvider, IManifestExpressionProvider
    {
        public string ValueExpression => $"{{{role.Name}.connectionString}}";

        public async ValueTask<string?> GetValueAsync(CancellationToken cancellationToken = default)
        {
            var database = await role.Parent.GetConnectionStringAsync(cancellationToken).ConfigureAwait(false);
            if (database is null)
            {
                return null;
            }

            return new NpgsqlConnectionStringBuilder(database)
            {
                Username = role.RoleName,
                Password = await role.PasswordParameter.GetValueAsync(cancellationToken).ConfigureAwait(false),
            }.ConnectionString;
        }
    }
}
