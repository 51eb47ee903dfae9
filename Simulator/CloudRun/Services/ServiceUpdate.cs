using Sdp.Simulator.CloudRun.Model;

namespace Sdp.Simulator.CloudRun.Services;

/// <summary>How an update's field mask merges a patch into a service (<c>google.protobuf.FieldMask</c> semantics).</summary>
public static class ServiceUpdate
{
    /// <summary>
    /// The service with the masked fields taken from <paramref name="patch"/>; with an empty mask, every writable
    /// field. A path below a top-level field (e.g. <c>template.containers</c>) replaces that whole field, which is
    /// coarser than Cloud Run but never keeps a stale value. Null (with <paramref name="unknownPath"/>) for a path
    /// the Simulator does not know.
    /// </summary>
    public static Service? Merge(Service current, Service patch, IReadOnlyList<string> mask, out string? unknownPath)
    {
        unknownPath = null;
        if (mask.Count == 0)
        {
            return patch with { Name = current.Name };
        }

        var merged = current;
        foreach (var path in mask)
        {
            var field = path.Split('.')[0];
            merged = field switch
            {
                "labels" => merged with { Labels = patch.Labels },
                "annotations" => merged with { Annotations = patch.Annotations },
                "description" => merged with { Description = patch.Description },
                "template" => merged with { Template = patch.Template },
                "scaling" => merged with { Scaling = patch.Scaling },
                "ingress" => merged with { Ingress = patch.Ingress },
                "traffic" => merged with { Traffic = patch.Traffic },
                "client" => merged with { Client = patch.Client },
                "clientVersion" or "client_version" => merged with { ClientVersion = patch.ClientVersion },
                "invokerIamDisabled" or "invoker_iam_disabled" => merged with { InvokerIamDisabled = patch.InvokerIamDisabled },
                "launchStage" or "launch_stage" => merged with { LaunchStage = patch.LaunchStage },
                _ => null,
            };
            if (merged is null)
            {
                unknownPath = path;
                return null;
            }
        }

        return merged;
    }
}
