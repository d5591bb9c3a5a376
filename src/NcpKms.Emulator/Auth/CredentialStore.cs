using System;
using System.Collections.Concurrent;
using System.Text;

namespace NcpKms.Emulator.Auth;

/// <summary>Access keys the emulator accepts, each with its secret already in the UTF-8 form HMAC needs.</summary>
internal sealed class CredentialStore
{
    private readonly ConcurrentDictionary<string, byte[]> _secrets = new(StringComparer.Ordinal);

    public void Add(string accessKey, string secretKey) => _secrets[accessKey] = Encoding.UTF8.GetBytes(secretKey);

    public bool TryGetSecret(string accessKey, out byte[] secretUtf8)
    {
        if (_secrets.TryGetValue(accessKey, out byte[]? secret))
        {
            secretUtf8 = secret;
            return true;
        }

        secretUtf8 = [];
        return false;
    }
}
