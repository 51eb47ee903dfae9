using Sdp.Orchestrator.Api.Auth;
using Sdp.Orchestrator.Api.Tenants;

namespace Sdp.Orchestrator.Api.Tests.Tenants;

public sealed class CreateApiKeyRequestTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_key_without_a_role_is_a_tenant_key_and_must_name_its_tenant()
    {
        var request = new CreateApiKeyRequest("ci");

        Assert.Equal(ApiRoles.Tenant, request.ResolvedRole);
        Assert.Equal(["tenant_id"], request.Validate(Now).Keys);
    }

    [Fact]
    public void An_admin_key_belongs_to_no_tenant()
    {
        Assert.Empty(new CreateApiKeyRequest("ops", ApiRoles.Admin).Validate(Now));
        Assert.Equal(["tenant_id"], new CreateApiKeyRequest("ops", ApiRoles.Admin, Guid.NewGuid()).Validate(Now).Keys);
    }

    [Fact]
    public void A_key_that_has_already_expired_or_has_no_rate_is_refused()
    {
        var request = new CreateApiKeyRequest("ci", ApiRoles.Tenant, Guid.NewGuid(), ExpiresAt: Now, RequestsPerMinute: 0);

        Assert.Equal(["expires_at", "requests_per_minute"], request.Validate(Now).Keys.Order());
    }

    [Fact]
    public void An_unknown_role_is_refused_listing_the_roles()
    {
        var errors = new CreateApiKeyRequest("ci", "root").Validate(Now);

        Assert.Equal("role must be one of: tenant, admin.", Assert.Single(errors["role"]));
    }
}
