using System.Text.Json.Nodes;

namespace Sdp.Simulator.Tests.Infrastructure;

/// <summary>The documented JSON shapes under Fixtures/.</summary>
public static class Fixture
{
    public static string Text(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name));

    public static JsonObject Object(string name) => JsonNode.Parse(Text(name))!.AsObject();
}
