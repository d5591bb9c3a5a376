using System.Management.Automation;
using NcpKms.Core;

namespace NcpKms.Commands;

/// <summary>Get Token Generator for each key tag.</summary>
[Cmdlet(VerbsCommon.Get, "NcpKmsTokenGenerator")]
[OutputType(typeof(TokenGenerator))]
public sealed class GetNcpKmsTokenGenerator : KeyCmdlet
{
    protected override void ProcessKey()
    {
        if (TryInvoke((connection, token) => connection.GetTokenGeneratorAsync(KeyTag, token), out TokenGenerator? generator)) WriteObject(generator);
    }
}
