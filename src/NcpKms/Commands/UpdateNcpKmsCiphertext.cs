using System.Management.Automation;
using NcpKms.Core;

namespace NcpKms.Commands;

/// <summary>Re-encrypt: POST /kms/v1/keys/{keyTag}/re-encrypt, one request per piped ciphertext.</summary>
[Cmdlet(VerbsData.Update, "NcpKmsCiphertext")]
[OutputType(typeof(EncryptedData))]
public sealed class UpdateNcpKmsCiphertext : NcpKmsCiphertextCmdlet
{
    protected override void ProcessRecord() => ProcessItem(KeyTag, () =>
    {
        (string ciphertext, byte[]? context, string? keyType) = CheckItem();
        if (VerboseEnabled) WriteVerbose($"Re-encrypting {DescribeCiphertext(ciphertext)} with the current version of {DescribeKey(KeyTag, keyType)}.");
        Send((connection, token) => connection.ReEncryptAsync(KeyTag, [ciphertext], context, token), encrypted => WriteObject(encrypted[0]), KeyTag);
    });
}
