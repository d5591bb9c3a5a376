using System;
using System.Collections.Immutable;
using System.Linq;
using System.Text.RegularExpressions;
using NcpKms.Emulator.Json;
using NcpKms.Emulator.State;

namespace NcpKms.Emulator.Kms;

/// <summary>
/// The per-key IP ACL for token requests (reference §8.6). Enabling it applies a default "All Deny": only the
/// listed addresses may then make token requests (checked in <see cref="KmsAuthenticator"/>).
/// </summary>
internal sealed partial class AclOperations
{
    private readonly KeyAccess _keys;

    public AclOperations(KeyAccess keys) => _keys = keys;

    public void Map(KmsRouter router)
    {
        router.Map("GET", "/kms/v1/keys/{keyTag}/acl", "GetAclRuleList", GetRules);
        router.Map("POST", "/kms/v1/keys/{keyTag}/acl", "AddAclRule", call => ChangeList(call, (list, ips) => list.AddRange(ips.Except(list))));
        // Reference §8.6.3: this DELETE carries a JSON body. Inferred: removing an address that is not listed is not an error.
        router.Map("DELETE", "/kms/v1/keys/{keyTag}/acl", "DeleteAclRule", call => ChangeList(call, (list, ips) => list.RemoveRange(ips)));
        router.Map("POST", "/kms/v1/keys/{keyTag}/acl/enable", "EnableIpAcl", call => Switch(call, enabled: true));
        router.Map("POST", "/kms/v1/keys/{keyTag}/acl/disable", "DisableIpAcl", call => Switch(call, enabled: false));
    }

    private void GetRules(KmsCall call)
    {
        KmsKey key = _keys.Find(call);
        call.Succeed(("keyTag", key.KeyTag), ("isAclEnabled", key.IsAclEnabled), ("allowedIpList", key.AllowedIps));
    }

    private void ChangeList(KmsCall call, Func<ImmutableArray<string>, string[], ImmutableArray<string>> change)
    {
        string[] ips = JsonBody.Read(call.Request.Body, ReadIpList);
        KmsKey key = _keys.Change(call, key => key with { AllowedIps = change(key.AllowedIps, ips) });
        call.Succeed(("keyTag", key.KeyTag), ("allowedIpList", key.AllowedIps));
    }

    private void Switch(KmsCall call, bool enabled)
    {
        KmsKey key = _keys.Change(call, key => key with { IsAclEnabled = enabled });
        call.Succeed(("keyTag", key.KeyTag), ("isAclEnabled", key.IsAclEnabled));
    }

    /// <summary>
    /// <c>ipList</c>: IPv4 addresses in dotted-decimal form, each once. An older swagger spelled the field
    /// <c>IpList</c>, which is accepted when <c>ipList</c> is absent. Inferred: ranges (CIDR) and IPv6 are refused.
    /// </summary>
    private static string[] ReadIpList(JsonBody body)
    {
        string[] ips = body.Find("ipList") is null && body.Find("IpList") is not null
            ? body.RequiredStringArray("IpList")
            : body.RequiredStringArray("ipList");
        string? bad = ips.FirstOrDefault(ip => !Ipv4Pattern().IsMatch(ip));
        return bad is null ? ips.Distinct(StringComparer.Ordinal).ToArray() : throw KmsFault.Invalid("ipList: '" + bad + "' is not an IPv4 address");
    }

    [GeneratedRegex(@"^(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}$", RegexOptions.CultureInvariant)]
    private static partial Regex Ipv4Pattern();
}
