using System;
using System.Globalization;
using System.Text.Json;
using NcpKms.Emulator.State;

namespace NcpKms.Emulator.Json;

/// <summary>The <c>data</c> objects of the key operations, field for field in the reference's order.</summary>
internal static class KeyJson
{
    /// <summary>§8.1.1. Items carry exactly the documented list fields.</summary>
    public static void WriteKeyList(Utf8JsonWriter writer, KeyPage page)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("keyList"u8);
        foreach (KmsKey key in page.Items)
        {
            writer.WriteStartObject();
            writer.WriteNumber("keyId"u8, key.KeyId);
            writer.WriteString("keyTag"u8, key.KeyTag);
            writer.WriteString("keyName"u8, key.KeyName);
            writer.WriteString("keyType"u8, key.KeyType);
            writer.WriteString("status"u8, key.Status);
            writer.WriteString("protectionType"u8, key.ProtectionType);
            writer.WriteBoolean("isConvergent"u8, key.IsConvergent);
            writer.WriteNumber("registerDate"u8, key.RegisterDate);
            writer.WriteNullableNumber("destroyDate"u8, key.DestroyDate);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        KmsJson.WritePaging(writer, page.Paging, withPageSize: false);
        writer.WriteEndObject();
    }

    /// <summary>§8.1.2.</summary>
    public static void WriteCreatedKey(Utf8JsonWriter writer, (KmsKey Key, int KeystoreId) state)
    {
        KmsKey key = state.Key;
        writer.WriteStartObject();
        writer.WriteNumber("keyId"u8, key.KeyId);
        writer.WriteString("keyTag"u8, key.KeyTag);
        writer.WriteString("keyName"u8, key.KeyName);
        writer.WriteString("keyType"u8, key.KeyType);
        writer.WriteString("status"u8, key.Status);
        writer.WriteNumber("keystoreId"u8, state.KeystoreId);
        writer.WriteString("protectionType"u8, key.ProtectionType);
        writer.WriteString("memo"u8, key.Memo);
        writer.WriteBoolean("isConvergent"u8, key.IsConvergent);
        writer.WriteBoolean("isAutoRotation"u8, key.IsAutoRotation);
        writer.WriteNumber("rotationPeriod"u8, key.RotationPeriod);
        writer.WriteNullableNumber("nextRotationDate"u8, key.NextRotationDate);
        writer.WriteNumber("registerDate"u8, key.RegisterDate);
        writer.WriteEndObject();
    }

    /// <summary>§8.1.3.</summary>
    public static void WriteKeyInfo(Utf8JsonWriter writer, (KmsKey Key, int KeystoreId, string BaseUrl) state)
    {
        KmsKey key = state.Key;
        writer.WriteStartObject();
        writer.WriteNumber("keyId"u8, key.KeyId);
        writer.WriteString("keyTag"u8, key.KeyTag);
        writer.WriteString("keyName"u8, key.KeyName);
        writer.WriteString("nrn"u8, Nrn(state.KeystoreId, key.KeyTag));
        writer.WriteString("baseUrl"u8, state.BaseUrl);
        writer.WriteString("keyType"u8, key.KeyType);
        writer.WriteString("status"u8, key.Status);
        writer.WriteNumber("keystoreId"u8, state.KeystoreId);
        writer.WriteNumber("currentVersion"u8, key.CurrentVersion);
        writer.WriteString("protectionType"u8, key.ProtectionType);
        writer.WriteString("memo"u8, key.Memo);
        writer.WriteBoolean("isConvergent"u8, key.IsConvergent);
        writer.WriteBoolean("isAutoRotation"u8, key.IsAutoRotation);
        writer.WriteNumber("rotationPeriod"u8, key.RotationPeriod);
        writer.WriteNullableNumber("nextRotationDate"u8, key.NextRotationDate);
        writer.WriteNumber("registerDate"u8, key.RegisterDate);
        writer.WriteNullableNumber("destroyDate"u8, key.DestroyDate);
        writer.WriteEndObject();
    }

    /// <summary>§8.2.5.</summary>
    public static void WriteVersionList(Utf8JsonWriter writer, KmsKey key)
    {
        writer.WriteStartObject();
        writer.WriteString("keyTag"u8, key.KeyTag);
        writer.WriteNumber("currentVersion"u8, key.CurrentVersion);
        writer.WriteStartArray("versionList"u8);
        foreach (KmsKeyVersion version in key.Versions)
        {
            writer.WriteStartObject();
            writer.WriteNumber("version"u8, version.Version);
            writer.WriteString("status"u8, version.Status);
            writer.WriteNumber("statusDate"u8, version.StatusDate);
            writer.WriteNumber("rotatedDate"u8, version.RotatedDate);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>
    /// Inferred: the reference gives no NRN example for keys. This follows NCP's general
    /// <c>nrn:PUB:{service}::{account}:{type}/{id}</c> pattern with the keystore standing in for the account.
    /// </summary>
    public static string Nrn(int keystoreId, string keyTag) =>
        string.Create(CultureInfo.InvariantCulture, $"nrn:PUB:KMS::{keystoreId}:Key/{keyTag}");
}

/// <summary>One page of the key list as the response reports it.</summary>
internal sealed record KeyPage(KmsKey[] Items, Paging Paging);
