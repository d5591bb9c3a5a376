using System;
using System.Security;
using System.Text;
using NcpKms.Core;

namespace NcpKms.Commands;

/// <summary>
/// Text handling of the crypto cmdlets: the default encoding, strict encodings (a character or byte that does
/// not fit is an error, never a silent '?' or U+FFFD that would change the data), and SecureStrings built
/// without an intermediate managed string.
/// </summary>
internal static class CryptoText
{
    /// <summary>UTF-8 without a byte order mark: the bytes encrypted are the text and nothing more.</summary>
    public static readonly Encoding DefaultEncoding = new Utf8NoBom();

    public static Encoding Strict(Encoding encoding)
    {
        var strict = (Encoding)encoding.Clone();
        strict.EncoderFallback = EncoderFallback.ExceptionFallback;
        strict.DecoderFallback = DecoderFallback.ExceptionFallback;
        return strict;
    }

    public static string Decode(byte[] bytes, Encoding encoding)
    {
        try
        {
            return Strict(encoding).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw NotText(bytes.Length, encoding);
        }
    }

    public static SecureString DecodeSecure(byte[] bytes, Encoding encoding)
    {
        char[] chars;
        try
        {
            chars = Strict(encoding).GetChars(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw NotText(bytes.Length, encoding);
        }

        try
        {
            return ToSecureString(chars);
        }
        finally
        {
            Array.Clear(chars);
        }
    }

    /// <summary>The Base64 text of key bytes as a SecureString; the char copy is wiped.</summary>
    public static SecureString Base64Secure(byte[] bytes)
    {
        char[] chars = new char[(bytes.Length + 2) / 3 * 4];
        try
        {
            Convert.TryToBase64Chars(bytes, chars, out _);
            return ToSecureString(chars);
        }
        finally
        {
            Array.Clear(chars);
        }
    }

    private static SecureString ToSecureString(ReadOnlySpan<char> chars)
    {
        var secure = new SecureString();
        foreach (char c in chars) secure.AppendChar(c);
        secure.MakeReadOnly();
        return secure;
    }

    private static KmsException NotText(int length, Encoding encoding) =>
        new("DecodingFailed", KmsErrorKind.InvalidArgument,
            $"The {length} decrypted bytes are not valid {encoding.WebName} text. Decrypt again with -AsByteArray for binary data, "
            + "or with the -Encoding the text was encrypted with.");

    /// <summary>UTF-8 without BOM, named the way -Encoding takes it, so help shows the default as "utf8NoBOM".</summary>
    private sealed class Utf8NoBom : UTF8Encoding
    {
        public Utf8NoBom()
            : base(encoderShouldEmitUTF8Identifier: false)
        {
        }

        public override string ToString() => "utf8NoBOM";
    }
}
