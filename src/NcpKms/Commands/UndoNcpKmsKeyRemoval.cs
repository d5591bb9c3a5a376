using System.Management.Automation;
using NcpKms.Core;

namespace NcpKms.Commands;

/// <summary>Cancel Key Deletion: POST /kms/v1/keys/{keyTag}/cancel-deletion (REVOKE → DISABLE).</summary>
[Cmdlet(VerbsCommon.Undo, "NcpKmsKeyRemoval", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(KeyStatus))]
public sealed class UndoNcpKmsKeyRemoval : KeyCmdlet
{
    protected override bool ChangesKeyList => true;

    protected override void ProcessKey() =>
        Change("Cancel the key's scheduled deletion (status DISABLE)", (connection, token) => connection.CancelKeyDeletionAsync(KeyTag, token));
}
