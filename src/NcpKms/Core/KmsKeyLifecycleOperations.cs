using System.Globalization;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace NcpKms.Core;

/// <summary>
/// The key lifecycle operations of KMS API 2.0 (ncp-kms-api.md §8.1.2, §8.1.4–8.1.10, §8.2.2–8.2.4,
/// §8.2.6–8.2.7, §8.3): create, rename, memo, enable/disable, deletion, automatic rotation, version
/// status and migration, as calls on a connection. Key tags must already be valid (KeyTag.Validate).
/// </summary>
public static class KmsKeyLifecycleOperations
{
    public static Task<KmsResult<Key>> CreateKeyAsync(this KmsConnection connection, NewKeyOptions options, CancellationToken cancellationToken) =>
        connection.SendAsync(KmsRequest.ForKeys(HttpMethod.Post, "Create Key", body: CreateKeyBody(options)), Key.FromJson, cancellationToken);

    /// <summary>Update Key Name; the result is the name the answer confirms.</summary>
    public static Task<KmsResult<string>> UpdateKeyNameAsync(this KmsConnection connection, string keyTag, string keyName, CancellationToken cancellationToken) =>
        connection.SendAsync(
            KmsRequest.ForKey(HttpMethod.Put, "Update Key Name", keyTag, "name", KmsJsonBody.Write(writer => writer.WriteString("keyName", keyName))),
            data => JsonFields.String(data, "keyName") ?? keyName, cancellationToken);

    /// <summary>Update Memo; the result is the memo the answer confirms.</summary>
    public static Task<KmsResult<string>> UpdateMemoAsync(this KmsConnection connection, string keyTag, string memo, CancellationToken cancellationToken) =>
        connection.SendAsync(
            KmsRequest.ForKey(HttpMethod.Put, "Update Memo", keyTag, "memo", KmsJsonBody.Write(writer => writer.WriteString("memo", memo))),
            data => JsonFields.String(data, "memo") ?? memo, cancellationToken);

    public static Task<KmsResult<KeyStatus>> EnableKeyAsync(this KmsConnection connection, string keyTag, CancellationToken cancellationToken) =>
        SendStatusChange(connection, "Enable Key", keyTag, "enable", cancellationToken);

    public static Task<KmsResult<KeyStatus>> DisableKeyAsync(this KmsConnection connection, string keyTag, CancellationToken cancellationToken) =>
        SendStatusChange(connection, "Disable Key", keyTag, "disable", cancellationToken);

    public static Task<KmsResult<KeyStatus>> RequestKeyDeletionAsync(this KmsConnection connection, string keyTag, CancellationToken cancellationToken) =>
        SendStatusChange(connection, "Request Key Deletion", keyTag, "request-deletion", cancellationToken);

    public static Task<KmsResult<KeyStatus>> CancelKeyDeletionAsync(this KmsConnection connection, string keyTag, CancellationToken cancellationToken) =>
        SendStatusChange(connection, "Cancel Key Deletion", keyTag, "cancel-deletion", cancellationToken);

    /// <summary>Delete Key (immediate, irreversible; the key must be REVOKE). The answer's data is null; the result is the deleted key's tag.</summary>
    public static Task<KmsResult<string>> DeleteKeyAsync(this KmsConnection connection, string keyTag, CancellationToken cancellationToken) =>
        connection.SendAsync(KmsRequest.ForKey(HttpMethod.Delete, "Delete Key", keyTag), _ => keyTag, cancellationToken);

    public static Task<KmsResult<KeyRotationPolicy>> EnableAutoRotationAsync(this KmsConnection connection, string keyTag, CancellationToken cancellationToken) =>
        SendPolicyChange(connection, HttpMethod.Post, "Enable Auto Rotation", keyTag, "enable-auto-rotation", null, cancellationToken);

    public static Task<KmsResult<KeyRotationPolicy>> DisableAutoRotationAsync(this KmsConnection connection, string keyTag, CancellationToken cancellationToken) =>
        SendPolicyChange(connection, HttpMethod.Post, "Disable Auto Rotation", keyTag, "disable-auto-rotation", null, cancellationToken);

    /// <summary>Update Rotation Period; NCP accepts it only while automatic rotation is on.</summary>
    public static Task<KmsResult<KeyRotationPolicy>> UpdateRotationPeriodAsync(this KmsConnection connection, string keyTag, int periodDays, CancellationToken cancellationToken) =>
        SendPolicyChange(connection, HttpMethod.Put, "Update Rotation Period", keyTag, "rotation-period",
            KmsJsonBody.Write(writer => writer.WriteNumber("rotationPeriod", periodDays)), cancellationToken);

    public static Task<KmsResult<KeyVersion>> EnableKeyVersionAsync(this KmsConnection connection, string keyTag, int version, CancellationToken cancellationToken) =>
        SendVersionChange(connection, "Enable Key Version", keyTag, version, "enable", cancellationToken);

    public static Task<KmsResult<KeyVersion>> DisableKeyVersionAsync(this KmsConnection connection, string keyTag, int version, CancellationToken cancellationToken) =>
        SendVersionChange(connection, "Disable Key Version", keyTag, version, "disable", cancellationToken);

    /// <summary>
    /// Migrate Key (global → region-isolated). The region is sent as given: "KR" is documented, the value
    /// for Japan is not ("JP" or "JPN", ncp-kms-api.md §11 #11), so nothing here translates it.
    /// </summary>
    public static Task<KmsResult<KeyMigration>> MigrateKeyAsync(this KmsConnection connection, string keyTag, string targetRegion, CancellationToken cancellationToken) =>
        connection.SendAsync(
            KmsRequest.ForKey(HttpMethod.Post, "Migrate Key", keyTag, "migrate", KmsJsonBody.Write(writer => writer.WriteString("targetRegion", targetRegion))),
            data => KeyMigration.FromJson(keyTag, targetRegion, data), cancellationToken);

    /// <summary>
    /// The Create Key body. isAutoRotation and protectionType are required by the API, so they are always
    /// sent; rotationPeriod only with automatic rotation (the API allows it only then), memo only when given.
    /// </summary>
    internal static byte[] CreateKeyBody(NewKeyOptions options) => KmsJsonBody.Write(writer =>
    {
        writer.WriteString("keyName", options.KeyName);
        writer.WriteString("keyType", options.KeyType);
        if (options.Memo is not null) writer.WriteString("memo", options.Memo);
        writer.WriteBoolean("isConvergent", options.IsConvergent);
        writer.WriteBoolean("isAutoRotation", options.AutoRotationPeriodDays is not null);
        if (options.AutoRotationPeriodDays is int days) writer.WriteNumber("rotationPeriod", days);
        writer.WriteString("protectionType", options.ProtectionType);
    });

    private static Task<KmsResult<KeyStatus>> SendStatusChange(KmsConnection connection, string operation, string keyTag, string action, CancellationToken cancellationToken) =>
        connection.SendAsync(KmsRequest.ForKey(HttpMethod.Post, operation, keyTag, action), data => KeyStatus.FromJson(keyTag, data), cancellationToken);

    private static Task<KmsResult<KeyRotationPolicy>> SendPolicyChange(KmsConnection connection, HttpMethod method, string operation, string keyTag,
        string action, byte[]? body, CancellationToken cancellationToken) =>
        connection.SendAsync(KmsRequest.ForKey(method, operation, keyTag, action, body), data => KeyRotationPolicy.FromJson(keyTag, data), cancellationToken);

    private static Task<KmsResult<KeyVersion>> SendVersionChange(KmsConnection connection, string operation, string keyTag, int version, string action,
        CancellationToken cancellationToken) =>
        connection.SendAsync(
            KmsRequest.ForKey(HttpMethod.Post, operation, keyTag, "versions/" + version.ToString(CultureInfo.InvariantCulture) + "/" + action),
            (JsonElement data) => KeyVersion.FromJson(keyTag, null, data), cancellationToken);
}
