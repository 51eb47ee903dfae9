using Sdp.Cleanup.Worker.Cleanup;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddNpgsqlDataSource("sdpdb");
builder.AddRedisClient("redis");
builder.AddCleanup();
builder.AddMessaging("messaging", bus => bus.AddCleanupConsumers());

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();
