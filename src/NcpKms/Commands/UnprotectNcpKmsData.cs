using System.Management.Automation;
using System.Security;
using System.Text;
using NcpKms.Core;

namespace NcpKms.Commands;

/// <summary>Decrypt: POST /kms/v1/keys/{keyTag}/decrypt; piped ciphertexts of the same key go together, up to -BatchSize a request.</summary>
[Cmdlet(VerbsSecurity.Unprotect, "NcpKmsData", DefaultParameterSetName = SecureStringSet)]
[OutputType(typeof(SecureString), ParameterSetName = [SecureStringSet])]
[OutputType(typeof(string), ParameterSetName = [PlainTextSet])]
[OutputType(typeof(byte[]), ParameterSetName = [ByteArraySet])]
public sealed class UnprotectNcpKmsData : NcpKmsCiphertextCmdlet
{
    private const string SecureStringSet = "SecureString";
    private const string PlainTextSet = "AsPlainText";
    private const string ByteArraySet = "AsByteArray";

    [Parameter(Mandatory = true, ParameterSetName = PlainTextSet)]
    public SwitchParameter AsPlainText { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = ByteArraySet)]
    public SwitchParameter AsByteArray { get; set; }

    [Parameter(ParameterSetName = SecureStringSet)]
    [Parameter(ParameterSetName = PlainTextSet)]
    [EncodingTransformation]
    [ArgumentCompleter(typeof(EncodingCompleter))]
    public Encoding Encoding { get; set; } = CryptoText.DefaultEncoding;

    protected override void ProcessRecord() => ProcessItem(KeyTag, () =>
    {
        (string ciphertext, byte[]? context, string? keyType) = CheckItem();
        if (VerboseEnabled) WriteVerbose($"Decrypting {DescribeCiphertext(ciphertext)} with {DescribeKey(KeyTag, keyType)}.");
        Batch<string, byte[]>(KmsCryptoOperations.DecryptAsync, KeyTag, context, ciphertext, ciphertext.Length, WritePlaintext);
    });

    /// <summary>The decrypted bytes as asked for; bytes turned into text are wiped.</summary>
    private void WritePlaintext(byte[] plaintext)
    {
        if (VerboseEnabled) WriteVerbose($"Decrypted {ByteCount(plaintext.Length)}.");
        if (AsByteArray)
        {
            WriteObject(plaintext, enumerateCollection: false);
            return;
        }

        try
        {
            WriteObject(AsPlainText ? CryptoText.Decode(plaintext, Encoding) : CryptoText.DecodeSecure(plaintext, Encoding));
        }
        finally
        {
            System.Array.Clear(plaintext);
        }
    }
}
