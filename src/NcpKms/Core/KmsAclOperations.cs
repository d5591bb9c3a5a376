using System.Collections.Generic;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace NcpKms.Core;

/// <summary>The IP ACL operations for token requests (ncp-kms-api.md §8.6), as calls on a connection.</summary>
public static class KmsAclOperations
{
    private const string Acl = "acl";

    public static Task<KmsResult<NcpKms.KeyAcl>> GetAclAsync(this KmsConnection connection, string keyTag, CancellationToken cancellationToken) =>
        connection.SendAsync(KmsRequest.ForKey(HttpMethod.Get, "Get ACL Rule List", keyTag, Acl), data => NcpKms.KeyAcl.FromJson(keyTag, data), cancellationToken);

    /// <summary>Add ACL Rule. The answer lacks isAclEnabled, so callers read the ACL again for the full state.</summary>
    public static Task<KmsResult<bool>> AddAclRulesAsync(this KmsConnection connection, string keyTag, IReadOnlyList<string> addresses, CancellationToken cancellationToken) =>
        connection.SendAsync(KmsRequest.ForKey(HttpMethod.Post, "Add ACL Rule", keyTag, Acl, IpListBody(addresses)), Accepted, cancellationToken);

    /// <summary>Delete ACL Rule: a DELETE that carries a JSON body (the body is not signed).</summary>
    public static Task<KmsResult<bool>> RemoveAclRulesAsync(this KmsConnection connection, string keyTag, IReadOnlyList<string> addresses, CancellationToken cancellationToken) =>
        connection.SendAsync(KmsRequest.ForKey(HttpMethod.Delete, "Delete ACL Rule", keyTag, Acl, IpListBody(addresses)), Accepted, cancellationToken);

    public static Task<KmsResult<bool>> EnableAclAsync(this KmsConnection connection, string keyTag, CancellationToken cancellationToken) =>
        connection.SendAsync(KmsRequest.ForKey(HttpMethod.Post, "Enable IP ACL", keyTag, Acl + "/enable"), Accepted, cancellationToken);

    public static Task<KmsResult<bool>> DisableAclAsync(this KmsConnection connection, string keyTag, CancellationToken cancellationToken) =>
        connection.SendAsync(KmsRequest.ForKey(HttpMethod.Post, "Disable IP ACL", keyTag, Acl + "/disable"), Accepted, cancellationToken);

    /// <summary>{"ipList":[...]}; "ipList" as the current docs spell it (an older swagger had "IpList").</summary>
    internal static byte[] IpListBody(IReadOnlyList<string> addresses) =>
        KmsJsonBody.Write(writer =>
        {
            writer.WriteStartArray("ipList");
            foreach (string address in addresses) writer.WriteStringValue(address);
            writer.WriteEndArray();
        });

    private static bool Accepted(JsonElement data) => true;
}
