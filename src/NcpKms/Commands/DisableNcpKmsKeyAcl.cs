using System.Management.Automation;
using NcpKms.Core;

namespace NcpKms.Commands;

/// <summary>Disable IP ACL: token requests are accepted from any address again; the allowed list is kept.</summary>
[Cmdlet(VerbsLifecycle.Disable, "NcpKmsKeyAcl", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(KeyAcl))]
public sealed class DisableNcpKmsKeyAcl : KeyAclChangeCmdlet
{
    protected override void ProcessKey() =>
        ChangeAcl("Disable the IP ACL of the key", "token requests are accepted from any address", force: false,
            (connection, token) => connection.DisableAclAsync(KeyTag, token));
}
