using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using NcpKms.Core;

namespace NcpKms.Commands;

/// <summary>
/// The base of the IP ACL cmdlets that change the ACL. Every answer of those operations is partial, so
/// each change is followed by Get ACL Rule List and the whole ACL is written; an enabled ACL with no
/// allowed address denies every token request, which gets a warning.
/// </summary>
public abstract class KeyAclChangeCmdlet : KeyCmdlet
{
    protected void ChangeAcl(string action, string? consequence, bool force, Func<KmsConnection, CancellationToken, Task<KmsResult<bool>>> change)
    {
        KeyAcl? acl = ChangeThenRead(action, consequence, force, change, (connection, token) => connection.GetAclAsync(KeyTag, token));
        if (acl is { IsAclEnabled: true, AllowedIpList.Length: 0 })
        {
            WriteWarning($"The IP ACL of key '{KeyTag}' is enabled and allows no address: every token request for this key is denied "
                + "until an address is added with Add-NcpKmsKeyAclRule.");
        }
    }
}

/// <summary>The base of the cmdlets that add or remove allowed addresses: -IpAddress, checked before any request.</summary>
public abstract class KeyAclRuleCmdlet : KeyAclChangeCmdlet
{
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string[] IpAddress { get; set; } = Array.Empty<string>();

    /// <summary>The addresses to send, or false after NcpKms.InvalidIpAddress was written for this key.</summary>
    protected bool TryGetAddresses([NotNullWhen(true)] out IReadOnlyList<string>? addresses) =>
        this.TryGet(() => IpAddressList.Validate(IpAddress, nameof(IpAddress), KeyTag), out addresses);
}
