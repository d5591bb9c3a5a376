using System.Collections.Generic;
using System.Globalization;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace NcpKms.Core;

/// <summary>One page of Get Key List.</summary>
public sealed record KeyPage(IReadOnlyList<Key> Keys, bool IsLast);

/// <summary>The key operations of KMS API 2.0 (ncp-kms-api.md §8.1–8.2), as calls on a connection.</summary>
public static class KmsKeyOperations
{
    /// <summary>The largest page Get Key List serves: the fewest round trips for a full listing.</summary>
    public const int MaxPageSize = KmsPaging.MaxPageSize;

    public static Task<KmsResult<KeyPage>> ListKeysAsync(this KmsConnection connection, int pageNo, int pageSize, CancellationToken cancellationToken)
    {
        string query = KmsRequest.Query(("pageNo", Number(pageNo)), ("pageSize", Number(pageSize)));
        var request = KmsRequest.ForKeys(HttpMethod.Get, "Get Key List", query);
        return connection.SendAsync(request, (data, root) => ReadPage(data, root, pageSize), cancellationToken);
    }

    public static Task<KmsResult<Key>> GetKeyAsync(this KmsConnection connection, string keyTag, CancellationToken cancellationToken) =>
        connection.SendAsync(KmsRequest.ForKey(HttpMethod.Get, "Get Key Info", keyTag), Key.FromJson, cancellationToken);

    public static Task<KmsResult<IReadOnlyList<KeyVersion>>> GetKeyVersionsAsync(this KmsConnection connection, string keyTag, CancellationToken cancellationToken) =>
        connection.SendAsync(KmsRequest.ForKey(HttpMethod.Get, "Get Key Version List", keyTag, "versions"),
            data => ReadVersions(keyTag, data), cancellationToken);

    public static Task<KmsResult<KeyRotation>> RotateKeyAsync(this KmsConnection connection, string keyTag, CancellationToken cancellationToken) =>
        connection.SendAsync(KmsRequest.ForKey(HttpMethod.Post, "Rotate Key", keyTag, "rotate"), KeyRotation.FromJson, cancellationToken);

    private static KeyPage ReadPage(JsonElement data, JsonElement root, int pageSize)
    {
        // The field table spells "KeyList", the example "keyList": JsonFields matches either.
        JsonElement list = JsonFields.RequiredArray(data, "keyList");
        var keys = new List<Key>(list.GetArrayLength());
        foreach (JsonElement item in list.EnumerateArray()) keys.Add(Key.FromJson(item));

        return new KeyPage(keys, KmsPaging.IsLastPage(data, root, keys.Count, pageSize));
    }

    private static IReadOnlyList<KeyVersion> ReadVersions(string keyTag, JsonElement data)
    {
        int? current = JsonFields.Int(data, "currentVersion");
        JsonElement list = JsonFields.RequiredArray(data, "versionList");
        var versions = new List<KeyVersion>(list.GetArrayLength());
        foreach (JsonElement item in list.EnumerateArray()) versions.Add(KeyVersion.FromJson(keyTag, current, item));
        return versions;
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
