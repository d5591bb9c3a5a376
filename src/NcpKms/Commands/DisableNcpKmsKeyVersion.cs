using System.Management.Automation;
using NcpKms.Core;

namespace NcpKms.Commands;

/// <summary>Disable Key Version: POST /kms/v1/keys/{keyTag}/versions/{version}/disable.</summary>
[Cmdlet(VerbsLifecycle.Disable, "NcpKmsKeyVersion", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(KeyVersion))]
public sealed class DisableNcpKmsKeyVersion : KeyVersionChangeCmdlet
{
    protected override void ProcessKey() =>
        Change($"Disable version {Version} of the key (ciphertext of that version no longer decrypts)",
            (connection, token) => connection.DisableKeyVersionAsync(KeyTag, Version, token));
}
