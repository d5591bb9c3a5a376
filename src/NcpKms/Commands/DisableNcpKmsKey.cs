using System.Management.Automation;
using NcpKms.Core;

namespace NcpKms.Commands;

/// <summary>Disable Key: POST /kms/v1/keys/{keyTag}/disable (ENABLE → DISABLE).</summary>
[Cmdlet(VerbsLifecycle.Disable, "NcpKmsKey", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(KeyStatus))]
public sealed class DisableNcpKmsKey : BulkKeyCmdlet
{
    protected override bool ChangesKeyList => true;

    protected override void ProcessKey() =>
        Change("Disable the key (status DISABLE; no version can encrypt, decrypt, sign or rotate)", (connection, token) => connection.DisableKeyAsync(KeyTag, token));
}
