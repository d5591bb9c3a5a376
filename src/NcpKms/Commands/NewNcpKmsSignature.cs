using System.Management.Automation;
using NcpKms.Core;

namespace NcpKms.Commands;

/// <summary>Sign: POST /kms/v1/keys/{keyTag}/sign, one request per piped value.</summary>
[Cmdlet(VerbsCommon.New, "NcpKmsSignature")]
[OutputType(typeof(DataSignature))]
public sealed class NewNcpKmsSignature : NcpKmsDataCmdlet
{
    /// <summary>A string, a SecureString or a byte array (typically a hash); a byte array is signed as it is.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true)]
    public object Data { get; set; } = null!;

    protected override void ProcessRecord() => ProcessItem(KeyTag, () =>
    {
        (byte[] data, string? keyType) = CheckSignItem(Data);
        if (VerboseEnabled) WriteVerbose($"Signing {ByteCount(data.Length)} with {DescribeKey(KeyTag, keyType)}.");
        Send((connection, token) => connection.SignAsync(KeyTag, data, token), signature => WriteObject(signature), KeyTag);
    });
}
