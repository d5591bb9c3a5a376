using System.Management.Automation;
using NcpKms.Core;

namespace NcpKms.Commands;

/// <summary>Encrypt: POST /kms/v1/keys/{keyTag}/encrypt, one request per piped value.</summary>
[Cmdlet(VerbsSecurity.Protect, "NcpKmsData")]
[OutputType(typeof(EncryptedData))]
public sealed class ProtectNcpKmsData : NcpKmsDataCmdlet
{
    /// <summary>A string, a SecureString or a byte array; a byte array is encrypted as it is, never through text.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true)]
    public object Plaintext { get; set; } = null!;

    [Parameter]
    public object? EncryptionContext { get; set; }

    protected override void ProcessRecord() => ProcessItem(KeyTag, () =>
    {
        byte[] plaintext = BytesOf(Plaintext, Encoding, nameof(Plaintext));
        try
        {
            Encrypt(plaintext);
        }
        finally
        {
            Wipe(plaintext, Plaintext);
        }
    });

    private void Encrypt(byte[] plaintext)
    {
        byte[][] plaintexts = [plaintext];
        byte[]? context = ContextBytes(EncryptionContext);
        KmsCryptoLimits.CheckPlaintext(plaintexts);
        string? keyType = CheckKeyType(KeyTag, KmsKeyUse.Encryption);
        KmsCryptoLimits.CheckPlaintextForKeyType(plaintexts, keyType);
        if (VerboseEnabled)
        {
            WriteVerbose($"Encrypting {ByteCount(plaintext.Length)} with {DescribeKey(KeyTag, keyType)}"
                + (context is null ? "." : $" and a {context.Length}-byte encryption context."));
        }

        Send((connection, token) => connection.EncryptAsync(KeyTag, plaintexts, context, token), encrypted => WriteObject(encrypted[0]), KeyTag);
    }
}
