using System.Globalization;
using System.Text;

namespace Sdp.Templates.Catalog.Custom;

/// <summary>
/// The tables of a validated spec: one per resource, in the candidate's own schema (unqualified names, the candidate
/// role's search_path), run by the provisioner as the candidate's role. Identifiers come from the validated spec only
/// and are quoted all the same.
/// </summary>
public static class CustomSchemaSql
{
    public static string For(ServiceSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var sql = new StringBuilder();
        foreach (var resource in spec.Resources)
        {
            var table = Quote(resource.Name);
            sql.Append(CultureInfo.InvariantCulture, $"CREATE TABLE IF NOT EXISTS {table} (\n");
            // Ids are UUIDv7, made by the service in increasing order, so the keyset cursor pages in creation order.
            // The primary key is named in upper case, which no resource name can be: PostgreSQL's own name for it,
            // <table>_pkey, could be another resource's table name.
            sql.Append("    id uuid NOT NULL,\n");
            foreach (var field in resource.Fields)
            {
                sql.Append(CultureInfo.InvariantCulture, $"    {Quote(field.Name)} {ColumnType(field)}{(field.Required ? " NOT NULL" : "")},\n");
            }

            sql.Append("    created_at timestamptz NOT NULL DEFAULT now(),\n");
            sql.Append("    updated_at timestamptz NOT NULL DEFAULT now(),\n");
            sql.Append(CultureInfo.InvariantCulture, $"    CONSTRAINT {PrimaryKeyName(resource)} PRIMARY KEY (id)\n);\n");
            for (var i = 0; i < resource.Fields.Count; i++)
            {
                var field = resource.Fields[i];
                if (field.Indexed)
                {
                    // (field, id): a look-up pages by id within one value. Named by position, in upper case: a name
                    // made of the resource and field names could pass PostgreSQL's 63-byte limit and be cut short.
                    sql.Append(CultureInfo.InvariantCulture,
                        $"CREATE INDEX IF NOT EXISTS {IndexName(resource, i)} ON {table} ({Quote(field.Name)}, id);\n");
                }
            }
        }

        return sql.ToString();
    }

    /// <summary>The PostgreSQL type of a field's column.</summary>
    public static string ColumnType(FieldSpec field) => field.Type switch
    {
        ServiceSpecLimits.String or ServiceSpecLimits.Text =>
            string.Create(CultureInfo.InvariantCulture, $"varchar({ServiceSpecLimits.MaxLengthOf(field)})"),
        ServiceSpecLimits.Integer => "bigint",
        ServiceSpecLimits.Number => "double precision",
        ServiceSpecLimits.Boolean => "boolean",
        ServiceSpecLimits.Timestamp => "timestamptz",
        ServiceSpecLimits.Uuid => "uuid",
        _ => throw new ArgumentException($"'{field.Type}' is not a field type; validate the spec first.", nameof(field)),
    };

    /// <summary>A double-quoted identifier; anything but a valid spec name is refused rather than escaped.</summary>
    public static string Quote(string identifier)
    {
        if (!ServiceSpecValidator.IsName(identifier))
        {
            throw new ArgumentException("Not a spec name; validate the spec first.", nameof(identifier));
        }

        return "\"" + identifier + "\"";
    }

    private static string PrimaryKeyName(ResourceSpec resource) => "\"PK_" + resource.Name + "\"";

    private static string IndexName(ResourceSpec resource, int fieldIndex) =>
        string.Create(CultureInfo.InvariantCulture, $"\"IX_{resource.Name}_{fieldIndex}\"");
}
