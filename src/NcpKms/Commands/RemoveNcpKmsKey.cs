using System.Management.Automation;
using NcpKms.Core;

namespace NcpKms.Commands;

/// <summary>
/// Request Key Deletion: POST /kms/v1/keys/{keyTag}/request-deletion (→ REVOKE, deleted by NCP after 72 hours);
/// with -Purge, Delete Key: DELETE /kms/v1/keys/{keyTag} (a REVOKE key, immediately and irreversibly).
/// </summary>
[Cmdlet(VerbsCommon.Remove, "NcpKmsKey", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(KeyStatus))]
public sealed class RemoveNcpKmsKey : KeyCmdlet
{
    /// <summary>Deletes a key that is already pending deletion (REVOKE) now, instead of scheduling the deletion.</summary>
    [Parameter]
    public SwitchParameter Purge { get; set; }

    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override bool ChangesKeyList => true;

    protected override void ProcessKey()
    {
        if (Purge)
        {
            // Delete Key answers with data null: nothing to write.
            TryChange("Delete the key now, irreversibly (it must be pending deletion)", null, Force,
                (connection, token) => connection.DeleteKeyAsync(KeyTag, token), out _);
            return;
        }

        Change("Schedule the key for deletion (status REVOKE; NCP deletes it after 72 hours unless Undo-NcpKmsKeyRemoval cancels)",
            (connection, token) => connection.RequestKeyDeletionAsync(KeyTag, token), Force);
    }
}
