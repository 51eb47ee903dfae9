using System.Text;
using Npgsql;
using NpgsqlTypes;
using Sdp.Templates.Catalog.Custom;

namespace Sdp.Templates.CustomService;

/// <summary>
/// A resource's table (<see cref="CustomSchemaSql"/> created it), by unqualified name: the candidate's search_path
/// resolves it to its own schema. Every statement is parameterised; the only identifiers in it are the spec's
/// validated names, quoted.
/// </summary>
internal sealed class ResourceTable
{
    private readonly ResourceSpec resource;
    private readonly string columns;
    private readonly string insert;
    private readonly string select;
    private readonly string update;
    private readonly string delete;

    public ResourceTable(ResourceSpec resource)
    {
        this.resource = resource;
        var table = CustomSchemaSql.Quote(resource.Name);
        var fields = resource.Fields.Select(f => CustomSchemaSql.Quote(f.Name)).ToArray();
        var n = fields.Length;
        columns = string.Join(", ", ["id", .. fields, "created_at", "updated_at"]);
        insert = $"INSERT INTO {table} ({columns}) VALUES ({string.Join(", ", Enumerable.Range(1, n + 3).Select(i => "$" + i))})";
        select = $"SELECT {columns} FROM {table} WHERE id = $1";
        update = $"UPDATE {table} SET {string.Join(", ", fields.Select((f, i) => $"{f} = ${i + 2}"))}, updated_at = ${n + 2} " +
                 "WHERE id = $1 RETURNING created_at";
        delete = $"DELETE FROM {table} WHERE id = $1";
        ListPrefix = $"SELECT {columns} FROM {table}";
    }

    private string ListPrefix { get; }

    public async Task InsertAsync(NpgsqlDataSource dataSource, ResourceRow row, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(insert);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = row.Id });
        AddValues(command, row.Values);
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = row.CreatedAt });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = row.UpdatedAt });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<ResourceRow?> FindAsync(NpgsqlDataSource dataSource, Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(select);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    /// <summary>Replaces every field; returns the item's creation time, or null when there is no such item.</summary>
    public async Task<DateTimeOffset?> UpdateAsync(NpgsqlDataSource dataSource, Guid id, object?[] values, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(update);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
        AddValues(command, values);
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
        return await command.ExecuteScalarAsync(cancellationToken) switch
        {
            DateTime utc => new DateTimeOffset(utc, TimeSpan.Zero),
            DateTimeOffset offset => offset,
            _ => null,
        };
    }

    public async Task<bool> DeleteAsync(NpgsqlDataSource dataSource, Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(delete);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    /// <summary>
    /// Up to <paramref name="limit"/> items after <paramref name="after"/> in id order (ids are UUIDv7, so creation
    /// order, ItemIds), matching every filter: a keyset page, as cheap on the thousandth page as on the first.
    /// </summary>
    public async Task<List<ResourceRow>> ListAsync(NpgsqlDataSource dataSource, IReadOnlyList<(int Field, object Value)> filters,
        Guid? after, int limit, CancellationToken cancellationToken)
    {
        var sql = new StringBuilder(ListPrefix);
        var conditions = new List<string>();
        await using var command = dataSource.CreateCommand();
        foreach (var (field, value) in filters)
        {
            command.Parameters.Add(Parameter(resource.Fields[field], value));
            conditions.Add($"{CustomSchemaSql.Quote(resource.Fields[field].Name)} = ${command.Parameters.Count}");
        }

        if (after is { } cursor)
        {
            command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = cursor });
            conditions.Add($"id > ${command.Parameters.Count}");
        }

        if (conditions.Count > 0)
        {
            sql.Append(" WHERE ").AppendJoin(" AND ", conditions);
        }

        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        sql.Append(" ORDER BY id LIMIT $").Append(command.Parameters.Count);
        command.CommandText = sql.ToString();

        var rows = new List<ResourceRow>(limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(Read(reader));
        }

        return rows;
    }

    private void AddValues(NpgsqlCommand command, object?[] values)
    {
        for (var i = 0; i < resource.Fields.Count; i++)
        {
            command.Parameters.Add(Parameter(resource.Fields[i], values[i]));
        }
    }

    private static NpgsqlParameter Parameter(FieldSpec field, object? value) => new()
    {
        NpgsqlDbType = field.Type switch
        {
            ServiceSpecLimits.String or ServiceSpecLimits.Text => NpgsqlDbType.Varchar,
            ServiceSpecLimits.Integer => NpgsqlDbType.Bigint,
            ServiceSpecLimits.Number => NpgsqlDbType.Double,
            ServiceSpecLimits.Boolean => NpgsqlDbType.Boolean,
            ServiceSpecLimits.Timestamp => NpgsqlDbType.TimestampTz,
            ServiceSpecLimits.Uuid => NpgsqlDbType.Uuid,
            _ => throw new InvalidOperationException("The spec was validated; its types are known."),
        },
        Value = value ?? DBNull.Value,
    };

    private ResourceRow Read(NpgsqlDataReader reader)
    {
        var values = new object?[resource.Fields.Count];
        for (var i = 0; i < values.Length; i++)
        {
            var ordinal = i + 1;
            values[i] = reader.IsDBNull(ordinal) ? null : resource.Fields[i].Type switch
            {
                ServiceSpecLimits.String or ServiceSpecLimits.Text => reader.GetString(ordinal),
                ServiceSpecLimits.Integer => reader.GetInt64(ordinal),
                ServiceSpecLimits.Number => reader.GetDouble(ordinal),
                ServiceSpecLimits.Boolean => reader.GetBoolean(ordinal),
                ServiceSpecLimits.Timestamp => reader.GetFieldValue<DateTimeOffset>(ordinal),
                ServiceSpecLimits.Uuid => reader.GetGuid(ordinal),
                _ => throw new InvalidOperationException("The spec was validated; its types are known."),
            };
        }

        var last = values.Length + 1;
        return new ResourceRow(reader.GetGuid(0), values,
            reader.GetFieldValue<DateTimeOffset>(last), reader.GetFieldValue<DateTimeOffset>(last + 1));
    }
}
