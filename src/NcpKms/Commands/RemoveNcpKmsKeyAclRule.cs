using System.Collections.Generic;
using System.Management.Automation;
using NcpKms.Core;

namespace NcpKms.Commands;

/// <summary>Delete ACL Rule: stops allowing token requests from IPv4 addresses, then writes the whole ACL.</summary>
[Cmdlet(VerbsCommon.Remove, "NcpKmsKeyAclRule", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(KeyAcl))]
public sealed class RemoveNcpKmsKeyAclRule : KeyAclRuleCmdlet
{
    /// <summary>Skips the confirmation prompt; never overrides -WhatIf.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessKey()
    {
        if (!TryGetAddresses(out IReadOnlyList<string>? addresses)) return;
        ChangeAcl($"Stop allowing token requests for the key from {string.Join(", ", addresses)}",
            "token requests from there are denied while the ACL is enabled", Force, (connection, token) => connection.RemoveAclRulesAsync(KeyTag, addresses, token));
    }
}
