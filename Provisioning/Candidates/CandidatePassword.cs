using System.Security.Cryptography;

namespace Sdp.Provisioning.Candidates;

/// <summary>A fresh random password per candidate resource; URL- and connection-string-safe.</summary>
public static class CandidatePassword
{
    public static string Generate()
    {
        Span<byte> bytes = stackalloc byte[24];
        RandomNumberGenerator.Fill(bytes);
        return Convert.ToBase64String(bytes).Replace('+', '-').Replace('/', '_');
    }
}
