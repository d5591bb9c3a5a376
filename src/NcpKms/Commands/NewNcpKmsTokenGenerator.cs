using System.Management.Automation;
using NcpKms.Core;

namespace NcpKms.Commands;

/// <summary>Create Token Generator, then Get Token Generator: writes the new generator.</summary>
[Cmdlet(VerbsCommon.New, "NcpKmsTokenGenerator", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(TokenGenerator))]
public sealed class NewNcpKmsTokenGenerator : KeyCmdlet
{
    protected override void ProcessKey() =>
        ChangeThenRead("Create a token generator for the key", "tokens can then be issued for it", force: false,
            (connection, token) => connection.CreateTokenGeneratorAsync(KeyTag, token),
            (connection, token) => connection.GetTokenGeneratorAsync(KeyTag, token));
}
