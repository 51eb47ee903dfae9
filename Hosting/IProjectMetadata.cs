namespace Sdp.Hosting;

/// <summary>
/// A service project the host can start. Implemented by the classes build/Sdp.Hosting.AppHost.targets generates
/// in the <c>Projects</c> namespace for every ProjectReference marked <c>IsServiceProject="true"</c>.
/// </summary>
public interface IProjectMetadata
{
    /// <summary>Full path of the .csproj; its directory is the service's working directory.</summary>
    string ProjectPath { get; }

    /// <summary>Full path of the built dll, of the same Configuration the AppHost was built with.</summary>
    string TargetPath { get; }
}
