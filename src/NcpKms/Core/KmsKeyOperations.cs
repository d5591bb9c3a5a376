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

    /// <summary>How much earlier than the request a recovered rotation may seem to be (Date grain, latency).</summary>
    private static readonly TimeSpan RotationClockTolerance = TimeSpan.FromSeconds(2);

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
    /// Rotate Key. Rotation is never repeated blindly: when no answer arrives (a timeout, a dropped
    /// connection, a 502/504), the key's versions are read to find out what happened, and either the
    /// rotation that did happen is reported, or an error says the key was not rotated.
    /// </summary>
    public static async Task<KmsResult<KeyRotation>> RotateKeyAsync(this KmsConnection connection, string keyTag, CancellationToken cancellationToken)
    {
        DateTimeOffset sentAt = DateTimeOffset.UtcNow;
        try
        {
            return await connection.SendAsync(KmsRequest.ForKey(HttpMethod.Post, "Rotate Key", keyTag, "rotate"), KeyRotation.FromJson, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (KmsException failure) when (failure.OutcomeUnknown)
        {
            KmsNotices.Verbose($"Rotate Key for key '{keyTag}' got no answer ({failure.Reason}); reading its versions to find out whether it was rotated.");
            KmsResult<IReadOnlyList<KeyVersion>> versions = await ReadVersionsAfterLostRotation(connection, keyTag, failure, cancellationToken).ConfigureAwait(false);
            KeyVersion? made = RotationSince(versions, sentAt);
            if (made is null) throw NotRotated(keyTag, failure);
            KmsNotices.Verbose($"Key '{keyTag}' was rotated to version {made.Version} by the request that got no answer.");
            return new KmsResult<KeyRotation>(KeyRotation.Recovered(keyTag, made.Version, made.RotatedDate!.Value),
                versions.RequestLine, versions.StatusCode, versions.RequestId, versions.Elapsed, versions.ServerDate);
        }
    }

    /// <summary>The key's versions; when they cannot be read either, the rotation's outcome stays unknown and the error says so.</summary>
    private static async Task<KmsResult<IReadOnlyList<KeyVersion>>> ReadVersionsAfterLostRotation(KmsConnection connection, string keyTag,
        KmsException lost, CancellationToken cancellationToken)
    {
        try
        {
            return await connection.GetKeyVersionsAsync(keyTag, cancellationToken).ConfigureAwait(false);
        }
        catch (KmsException unreadable)
        {
            throw new KmsException(lost.Reason, lost.Kind,
                $"{lost.Message} Reading the key's versions to find out failed too ({unreadable.Reason}): check with Get-NcpKmsKeyVersion before rotating it again.", lost)
            { KeyTag = keyTag, StatusCode = lost.StatusCode, RequestId = lost.RequestId, OutcomeUnknown = true };
        }
    }

    /// <summary>
    /// The current version, if it was made after the request was sent. "After" is judged on the service's
    /// clock (the Date header of the version read, less the local time that has passed since sending), so a
    /// skewed local clock cannot hide a rotation that happened; the Date header's one-second grain and the
    /// latency are allowed for.
    /// </summary>
    private static KeyVersion? RotationSince(KmsResult<IReadOnlyList<KeyVersion>> versions, DateTimeOffset sentAt)
    {
        TimeSpan sinceSent = DateTimeOffset.UtcNow - sentAt;
        DateTimeOffset serviceSentAt = (versions.ServerDate ?? DateTimeOffset.UtcNow) - sinceSent;
        DateTime threshold = (serviceSentAt - RotationClockTolerance).UtcDateTime;
        KeyVersion? current = versions.Value.FirstOrDefault(version => version.IsCurrent == true)
            ?? versions.Value.OrderByDescending(version => version.Version).FirstOrDefault();
        return current?.RotatedDate >= threshold ? current : null;
    }

    private static KmsException NotRotated(string keyTag, KmsException failure) =>
        new("RotationNotApplied", failure.Kind,
            $"Rotate Key for key '{keyTag}' got no answer ({failure.Reason}), and the key's versions show no version made since the request: "
            + "the key was not rotated. Rotating it again is safe.", failure)
        { KeyTag = keyTag, StatusCode = failure.StatusCode, RequestId = failure.RequestId };

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
