using System.Management.Automation;
using NcpKms.Core;

namespace NcpKms.Commands;

/// <summary>Enable Key: POST /kms/v1/keys/{keyTag}/enable (DISABLE → ENABLE).</summary>
[Cmdlet(VerbsLifecycle.Enable, "NcpKmsKey", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(KeyStatus))]
public sealed class EnableNcpKmsKey : BulkKeyCmdlet
{
    protected override bool ChangesKeyList => true;

    protected override void ProcessKey() =>
        Change("Enable the key (status ENABLE; each version returns to its earlier status)", (connection, token) => connection.EnableKeyAsync(KeyTag, token));
}
