using System.Management.Automation;
using NcpKms.Core;

namespace NcpKms.Commands;

/// <summary>Verify: POST /kms/v1/keys/{keyTag}/verify; writes $true or $false per signature.</summary>
[Cmdlet(VerbsDiagnostic.Test, "NcpKmsSignature")]
[OutputType(typeof(bool))]
public sealed class TestNcpKmsSignature : NcpKmsDataCmdlet
{
    /// <summary>
    /// Not taken from the pipeline by value: a piped signature object would bind to an object-typed -Data.
    /// By property name, so rows with Data and Signature columns can be piped.
    /// </summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    public object Data { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 2, ValueFromPipelineByPropertyName = true)]
    public string Signature { get; set; } = string.Empty;

    protected override void ProcessRecord() => ProcessItem(KeyTag, () =>
    {
        (byte[] data, string? keyType) = CheckSignItem(Data);
        if (VerboseEnabled) WriteVerbose($"Verifying a signature over {ByteCount(data.Length)} with {DescribeKey(KeyTag, keyType)}.");
        Send((connection, token) => connection.VerifyAsync(KeyTag, data, Signature, token), WriteVerdict, KeyTag);
    });

    private void WriteVerdict(bool valid)
    {
        if (VerboseEnabled) WriteVerbose(valid ? "The signature is valid." : "The signature does not match the data.");
        WriteObject(valid);
    }
}
