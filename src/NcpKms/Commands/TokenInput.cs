using System;
using System.Runtime.InteropServices;
using System.Security;
using NcpKms.Core;

namespace NcpKms.Commands;

/// <summary>Where a cmdlet finds a KMS token: a -Token SecureString, or the NCLOUD_KMS_TOKEN environment variable.</summary>
internal static class TokenInput
{
    /// <summary>The token of -Token, or null when it was not given; an empty one is NcpKms.InvalidToken.</summary>
    public static KmsToken? FromParameter(SecureString? token, KmsTokenKind kind)
    {
        if (token is null) return null;
        if (token.Length == 0) throw Empty("-Token");
        IntPtr pointer = Marshal.SecureStringToGlobalAllocUnicode(token);
        char[] buffer = new char[token.Length];
        try
        {
            Marshal.Copy(pointer, buffer, 0, buffer.Length);
            return new KmsToken(buffer, kind, "-Token");
        }
        catch (ArgumentException)
        {
            throw Empty("-Token");
        }
        finally
        {
            Array.Clear(buffer);
            Marshal.ZeroFreeGlobalAllocUnicode(pointer);
        }
    }

    /// <summary>The token of NCLOUD_KMS_TOKEN, or null when it is not set.</summary>
    public static KmsToken? FromEnvironment(KmsTokenKind kind)
    {
        string? value = Environment.GetEnvironmentVariable(KmsToken.EnvironmentVariable);
        return string.IsNullOrWhiteSpace(value) ? null : new KmsToken(value, kind, KmsToken.EnvironmentVariable);
    }

    private static KmsException Empty(string source) =>
        new("InvalidToken", KmsErrorKind.InvalidArgument, $"The token given by {source} is empty.");
}
