using System.Collections.Generic;
using System.Management.Automation;
using NcpKms.Core;

namespace NcpKms.Commands;

/// <summary>Add ACL Rule: allows token requests from more IPv4 addresses, then writes the whole ACL.</summary>
[Cmdlet(VerbsCommon.Add, "NcpKmsKeyAclRule", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(KeyAcl))]
public sealed class AddNcpKmsKeyAclRule : KeyAclRuleCmdlet
{
    protected override void ProcessKey()
    {
        if (!TryGetAddresses(out IReadOnlyList<string>? addresses)) return;
        ChangeAcl($"Allow token requests for the key from {string.Join(", ", addresses)}", null, force: false,
            (connection, token) => connection.AddAclRulesAsync(KeyTag, addresses, token));
    }
}
