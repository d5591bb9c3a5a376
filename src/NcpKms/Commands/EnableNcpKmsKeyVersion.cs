using System.Management.Automation;
using NcpKms.Core;

namespace NcpKms.Commands;

/// <summary>Enable Key Version: POST /kms/v1/keys/{keyTag}/versions/{version}/enable.</summary>
[Cmdlet(VerbsLifecycle.Enable, "NcpKmsKeyVersion", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(KeyVersion))]
public sealed class EnableNcpKmsKeyVersion : KeyVersionChangeCmdlet
{
    protected override void ProcessKey() =>
        Change($"Enable version {Version} of the key", (connection, token) => connection.EnableKeyVersionAsync(KeyTag, Version, token));
}
