namespace Sdp.Orchestrator.Api.Tenants;

/// <summary>Body of <c>POST /api/admin/tenants</c>.</summary>
public sealed record CreateTenantRequest(string? Name, QuotaOverrides? Quotas = null)
{
    public const int MaxNameLength = 100;

    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(Name))
        {
            errors["name"] = ["name is required."];
        }
        else if (Name.Trim().Length > MaxNameLength || Name.Any(char.IsControl))
        {
            errors["name"] = [$"name must be at most {MaxNameLength} printable characters."];
        }

        Quotas?.Validate(errors, "quotas.");
        return errors;
    }
}
