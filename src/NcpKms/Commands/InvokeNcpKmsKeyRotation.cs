using System.Management.Automation;
using NcpKms.Core;

namespace NcpKms.Commands;

/// <summary>Rotate Key: POST /kms/v1/keys/{keyTag}/rotate, one call per key tag from the pipeline.</summary>
[Cmdlet(VerbsLifecycle.Invoke, "NcpKmsKeyRotation", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(KeyRotation))]
public sealed class InvokeNcpKmsKeyRotation : NcpKmsCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(KeyTagCompleter))]
    [AllowEmptyString]
    public string KeyTag { get; set; } = string.Empty;

    protected override void ProcessRecord()
    {
        if (!ValidateKeyTag(KeyTag)) return;
        string endpoint = ResolvedContext.Endpoint;
        if (!ShouldProcess(KeyTag, $"Rotate the key at {endpoint} (creates a new current key version)")) return;
        if (TryInvoke((connection, token) => connection.RotateKeyAsync(KeyTag, token), out KeyRotation? rotation))
            WriteObject(rotation);
    }
}
