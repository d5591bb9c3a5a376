using System.Management.Automation;
using NcpKms.Core;

namespace NcpKms.Commands;

/// <summary>Delete Token Generator: token authentication stops for the key and every token it issued stops working.</summary>
[Cmdlet(VerbsCommon.Remove, "NcpKmsTokenGenerator", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(void))]
public sealed class RemoveNcpKmsTokenGenerator : KeyCmdlet
{
    /// <summary>Skips the confirmation prompt; never overrides -WhatIf.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessKey() =>
        TryChange("Delete the token generator of the key",
            "EVERY token it issued stops working, irreversibly, and token authentication is off until a new generator is created",
            Force, (connection, token) => connection.DeleteTokenGeneratorAsync(KeyTag, token), out _);
}
