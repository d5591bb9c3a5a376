using System.Management.Automation;
using NcpKms.Core;

namespace NcpKms.Commands;

/// <summary>Rotate Key: POST /kms/v1/keys/{keyTag}/rotate, one call per key tag from the pipeline.</summary>
[Cmdlet(VerbsLifecycle.Invoke, "NcpKmsKeyRotation", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(KeyRotation))]
public sealed class InvokeNcpKmsKeyRotation : BulkKeyCmdlet
{
    protected override void ProcessKey() =>
        Change("Rotate the key (creates a new current key version)", (connection, token) => connection.RotateKeyAsync(KeyTag, token));
}
