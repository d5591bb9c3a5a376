using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
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

    /// <summary>Every page of Get Key List in turn, from the first until the service says it was the last.</summary>
    public static async IAsyncEnumerable<KmsResult<KeyPage>> ListKeyPagesAsync(this KmsConnection connection, int pageSize,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (int pageNo = 1; ; pageNo++)
        {
            KmsResult<KeyPage> page = await connection.ListKeysAsync(pageNo, pageSize, cancellationToken).ConfigureAwait(false);
            yield return page;
            if (page.Value.IsLast) yield break;
        }
    }

    public static Task<KmsResult<Key>> GetKeyAsync(this KmsConnection connection, string keyTag, CancellationToken cancellationToken) =>
        connection.SendAsync(KmsRequest.ForKey(HttpMethod.Get, "Get Key Info", keyTag), Key.FromJson, cancellationToken);

    public static Task<KmsResult<IReadOnlyList<KeyVersion>>> GetKeyVersionsAsync(this KmsConnection connection, string keyTag, CancellationToken cancellationToken) =>
        connection.SendAsync(KmsRequest.ForKey(HttpMethod.Get, "Get Key Version List", keyTag, "versions"),
            data => ReadVersions(keyTag, data), cancellationToken);

    /// <summary>
    /// Rotate Key. Rotation is never repeated blindly: when no answer arrives, <see cref="RotationRecovery"/>
    /// reads the key's versions and reports the rotation that did happen, or says that none did. Rotations of
    /// one key wait for each other's answer (or recovery), so that recovery is sure which version is whose.
    /// </summary>
    public static async Task<KmsResult<KeyRotation>> RotateKeyAsync(this KmsConnection connection, string keyTag, CancellationToken cancellationToken)
    {
        using RotationRecovery recovery = await RotationRecovery.BeforeAsync(connection, keyTag, cancellationToken).ConfigureAwait(false);
        try
        {
            KmsResult<KeyRotation> result = await connection.SendAsync(KmsRequest.ForKey(HttpMethod.Post, "Rotate Key", keyTag, "rotate"), KeyRotation.FromJson,
                cancellationToken).ConfigureAwait(false);
            recovery.Answered(result.Value.Version);
            return result;
        }
        catch (KmsException failure) when (failure.OutcomeUnknown)
        {
            return await recovery.RecoverAsync(failure, cancellationToken).ConfigureAwait(false);
        }
    }

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
