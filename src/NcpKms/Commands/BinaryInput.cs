using System;
using System.Management.Automation;
using System.Runtime.InteropServices;
using System.Security;
using System.Text;
using NcpKms.Core;

namespace NcpKms.Commands;

/// <summary>
/// Turns the values users pass for binary parameters (-Plaintext, -Data, -EncryptionContext) into bytes:
/// a byte[] as it is (never through text), a string or a SecureString encoded with the given encoding.
/// </summary>
internal static class BinaryInput
{
    public static byte[] ToBytes(object? value, Encoding encoding, string parameterName) =>
        (value is PSObject wrapped ? wrapped.BaseObject : value) switch
        {
            byte[] bytes => bytes,
            string text => encoding.GetBytes(text),
            SecureString secure => FromSecureString(secure, encoding),
            null => throw Invalid(parameterName, "it is null"),
            // What arrives when a byte array is piped on its own: PowerShell unrolls it into single bytes.
            byte => throw Invalid(parameterName, "it is a single byte; to pipe a byte array, wrap it in a one-item array: ,$bytes |"),
            object other => throw Invalid(parameterName, $"it is a {other.GetType().FullName}"),
        };

    /// <summary>Encodes a SecureString without making a managed string of it; the char copy is wiped.</summary>
    private static byte[] FromSecureString(SecureString secure, Encoding encoding)
    {
        IntPtr pointer = Marshal.SecureStringToGlobalAllocUnicode(secure);
        char[] chars = new char[secure.Length];
        try
        {
            Marshal.Copy(pointer, chars, 0, chars.Length);
            return encoding.GetBytes(chars);
        }
        finally
        {
            Array.Clear(chars);
            Marshal.ZeroFreeGlobalAllocUnicode(pointer);
        }
    }

    private static KmsException Invalid(string parameterName, string why) =>
        new("InvalidArgument", KmsErrorKind.InvalidArgument,
            $"-{parameterName} takes a string, a SecureString or a byte array, but {why}. No request was sent.");
}
