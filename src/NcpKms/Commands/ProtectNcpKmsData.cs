using System.Management.Automation;
using NcpKms.Core;

namespace NcpKms.Commands;

/// <summary>Encrypt: POST /kms/v1/keys/{keyTag}/encrypt; piped values for the same key go together, up to -BatchSize a request.</summary>
[Cmdlet(VerbsSecurity.Protect, "NcpKmsData")]
[OutputType(typeof(EncryptedData))]
public sealed class ProtectNcpKmsData : NcpKmsDataCmdlet
{
    /// <summary>A string, a SecureString or a byte array; a byte array is encrypted as it is, never through text.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true)]
    public object Plaintext { get; set; } = null!;

    [Parameter]
    public object? EncryptionContext { get; set; }

    /// <summary>How many values one request may carry; 1 sends each value alone.</summary>
    [Parameter]
    [ValidateRange(1, MaxBatchSize)]
    public int BatchSize { get; set; } = DefaultBatchSize;

    protected override int MaxBatchCount => BatchSize;

    protected override void ProcessRecord() => ProcessItem(KeyTag, () =>
    {
        object source = Plaintext;
        byte[] plaintext = BytesOf(source, Encoding, nameof(Plaintext));
        bool batched = false;
        try
        {
            Encrypt(plaintext, () => Wipe(plaintext, source));
            batched = true;
        }
        finally
        {
            if (!batched) Wipe(plaintext, source);
        }
    });

    /// <summary>Checks the plaintext and adds it to the batch, which wipes it once sent.</summary>
    private void Encrypt(byte[] plaintext, System.Action wipe)
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

        Batch<byte[], EncryptedData>(KmsCryptoOperations.EncryptAsync, KeyTag, context, plaintext, plaintext.Length, encrypted => WriteObject(encrypted), wipe);
    }
}
