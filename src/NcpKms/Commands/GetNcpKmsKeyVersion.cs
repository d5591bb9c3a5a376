using System.Collections.Generic;
using System.Management.Automation;
using NcpKms.Core;

namespace NcpKms.Commands;

/// <summary>Get Key Version List: GET /kms/v1/keys/{keyTag}/versions.</summary>
[Cmdlet(VerbsCommon.Get, "NcpKmsKeyVersion")]
[OutputType(typeof(KeyVersion))]
public sealed class GetNcpKmsKeyVersion : KeyCmdlet
{
    protected override void ProcessKey()
    {
        if (TryInvoke((connection, token) => connection.GetKeyVersionsAsync(KeyTag, token), out IReadOnlyList<KeyVersion>? versions))
            WriteObject(versions, enumerateCollection: true);
    }
}
