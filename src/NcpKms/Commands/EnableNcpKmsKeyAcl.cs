using System.Management.Automation;
using NcpKms.Core;

namespace NcpKms.Commands;

/// <summary>Enable IP ACL: only token requests from the allowed addresses are accepted (none allowed: all denied).</summary>
[Cmdlet(VerbsLifecycle.Enable, "NcpKmsKeyAcl", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(KeyAcl))]
public sealed class EnableNcpKmsKeyAcl : KeyAclChangeCmdlet
{
    protected override void ProcessKey() =>
        ChangeAcl("Enable the IP ACL of the key", "token requests are denied unless they come from an allowed address", force: false,
            (connection, token) => connection.EnableAclAsync(KeyTag, token));
}
