using System.Management.Automation;
using NcpKms.Core;

namespace NcpKms.Commands;

/// <summary>Get ACL Rule List for each key tag.</summary>
[Cmdlet(VerbsCommon.Get, "NcpKmsKeyAcl")]
[OutputType(typeof(KeyAcl))]
public sealed class GetNcpKmsKeyAcl : KeyCmdlet
{
    protected override void ProcessKey()
    {
        if (TryInvoke((connection, token) => connection.GetAclAsync(KeyTag, token), out KeyAcl? acl)) WriteObject(acl);
    }
}
