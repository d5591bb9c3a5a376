using System.Management.Automation;
using NcpKms.Core;

namespace NcpKms.Commands;

/// <summary>Re-encrypt: POST /kms/v1/keys/{keyTag}/re-encrypt; piped ciphertexts of the same key go together, up to -BatchSize a request.</summary>
[Cmdlet(VerbsData.Update, "NcpKmsCiphertext")]
[OutputType(typeof(EncryptedData))]
public sealed class UpdateNcpKmsCiphertext : NcpKmsCiphertextCmdlet
{
    protected override void ProcessRecord() => ProcessItem(KeyTag, () =>
    {
        (string ciphertext, byte[]? context, string? keyType) = CheckItem();
        if (VerboseEnabled) WriteVerbose($"Re-encrypting {DescribeCiphertext(ciphertext)} with the current version of {DescribeKey(KeyTag, keyType)}.");
        Batch<string, EncryptedData>(KmsCryptoOperations.ReEncryptAsync, KeyTag, context, ciphertext, ciphertext.Length, encrypted => WriteObject(encrypted));
    });
}
