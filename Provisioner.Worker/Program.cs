using Sdp.Provisioner.Worker.Provisioning;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddNpgsqlDataSource("sdpdb");
builder.AddRedisClient("redis");
builder.AddProvisioning();
builder.AddMessaging("messaging", bus => bus.AddConsumer<DeploymentRequestedConsumer>(typeof(DeploymentRequestedConsumerDefinition)));

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();
