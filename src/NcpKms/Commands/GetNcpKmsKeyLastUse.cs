using System.Management.Automation;
using NcpKms.Core;

namespace NcpKms.Commands;

/// <summary>Get Latest Use Info: the key's most recent use, or nothing when it has none on record.</summary>
[Cmdlet(VerbsCommon.Get, "NcpKmsKeyLastUse")]
[OutputType(typeof(KeyActivity))]
public sealed class GetNcpKmsKeyLastUse : KeyCmdlet
{
    protected override void ProcessKey()
    {
        if (!TryInvoke((connection, token) => connection.GetLastUseAsync(KeyTag, token), out KeyActivity? lastUse)) return;
        if (lastUse is null) WriteVerbose($"The key '{KeyTag}' has no recorded use.");
        else WriteObject(lastUse);
    }
}
