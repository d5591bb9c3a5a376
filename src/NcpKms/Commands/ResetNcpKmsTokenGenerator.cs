using System.Management.Automation;
using NcpKms.Core;

namespace NcpKms.Commands;

/// <summary>Update (replace) Token Generator, then Get Token Generator: every token issued so far stops working.</summary>
[Cmdlet(VerbsCommon.Reset, "NcpKmsTokenGenerator", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(TokenGenerator))]
public sealed class ResetNcpKmsTokenGenerator : KeyCmdlet
{
    /// <summary>Skips the confirmation prompt; never overrides -WhatIf.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessKey() =>
        ChangeThenRead("Replace the token generator of the key", "EVERY access and refresh token issued so far stops working, irreversibly", Force,
            (connection, token) => connection.ReplaceTokenGeneratorAsync(KeyTag, token),
            (connection, token) => connection.GetTokenGeneratorAsync(KeyTag, token));
}
