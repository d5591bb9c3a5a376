using System;
using System.Buffers;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text.Json;
using NcpKms.Emulator.Auth;
using NcpKms.Emulator.Json;

namespace NcpKms.Emulator.State;

/// <summary>What a state file brings back: the keystore and the key that signs tokens.</summary>
internal sealed record SavedState(StoreContents Store, byte[] TokenSigningKey);

/// <summary>
/// The state file format, version 1: one JSON object naming its format and version, the keystore id, the next
/// key id, the token signing key, and every key with its versions (each with its key material in Base64, or
/// null while it was never used), its token generator and its IP ACL. Activity logs are not kept. A reader
/// refuses any other format or version, and any value out of the key model's rules, naming the JSON path.
/// </summary>
internal static class StateJson
{
    private const string FormatName = "NcpKms.Emulator.State";
    private const int FormatVersion = 1;

    private const string Warning = "Test key material of NcpKms.Emulator: whoever reads this file can decrypt what these keys encrypted. Never use these keys for real data.";

    public static void Write(IBufferWriter<byte> output, StoreContents contents, byte[] tokenSigningKey)
    {
        using var writer = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        writer.WriteStartObject();
        writer.WriteString("format", FormatName);
        writer.WriteNumber("version", FormatVersion);
        writer.WriteString("warning", Warning);
        writer.WriteNumber("keystoreId", contents.KeystoreId);
        writer.WriteNumber("nextKeyId", contents.NextKeyId);
        writer.WriteBase64String("tokenSigningKey", tokenSigningKey);
        writer.WriteStartArray("keys");
        foreach (KmsKey key in contents.Keys)
        {
            WriteKey(writer, key);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <exception cref="InvalidDataException">The bytes are not a state file this emulator reads.</exception>
    public static SavedState Read(byte[] json, Func<string, KeyMaterial> newMaterial)
    {
        using JsonDocument document = Parse(json);
        var root = new StateElement(document.RootElement, "$");
        if (root.String("format") != FormatName)
        {
            throw root.Invalid("format", "'" + FormatName + "'");
        }

        long version = root.Long("version");
        if (version != FormatVersion)
        {
            throw new InvalidDataException("$.version: this emulator reads format version " + FormatVersion + "; the file has version " + version);
        }

        KmsKey[] keys = root.Array("keys").Select(key => ReadKey(key, newMaterial)).ToArray();
        CheckUnique(keys, key => key.KeyTag, "keyTag");
        CheckUnique(keys, key => key.KeyName, "keyName");
        long nextKeyId = root.Long("nextKeyId");
        if (keys.Any(key => key.KeyId >= nextKeyId))
        {
            throw root.Invalid("nextKeyId", "a number above every keyId");
        }

        var store = new StoreContents(root.Int("keystoreId", 1, int.MaxValue), nextKeyId, keys);
        return new SavedState(store, ReadTokenSigningKey(root));
    }

    private static JsonDocument Parse(byte[] json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException("not valid JSON (" + e.Message + ")", e);
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            throw new InvalidDataException("$: expected a JSON object");
        }

        return document;
    }

    private static void WriteKey(Utf8JsonWriter writer, KmsKey key)
    {
        writer.WriteStartObject();
        writer.WriteNumber("keyId", key.KeyId);
        writer.WriteString("keyTag", key.KeyTag);
        writer.WriteString("keyName", key.KeyName);
        writer.WriteString("keyType", key.KeyType);
        writer.WriteString("status", key.Status);
        writer.WriteNumber("statusDate", key.StatusDate);
        writer.WriteString("protectionType", key.ProtectionType);
        writer.WriteString("memo", key.Memo);
        writer.WriteBoolean("isConvergent", key.IsConvergent);
        writer.WriteBoolean("isAutoRotation", key.IsAutoRotation);
        writer.WriteNumber("rotationPeriod", key.RotationPeriod);
        writer.WriteNullableNumber("nextRotationDate"u8, key.NextRotationDate);
        writer.WriteNumber("registerDate", key.RegisterDate);
        writer.WriteNullableNumber("destroyDate"u8, key.DestroyDate);
        writer.WriteStartArray("versions");
        foreach (KmsKeyVersion version in key.Versions)
        {
            WriteVersion(writer, version);
        }

        writer.WriteEndArray();
        WriteGenerator(writer, key.TokenGenerator);
        writer.WriteBoolean("isAclEnabled", key.IsAclEnabled);
        writer.WriteStartArray("allowedIps");
        foreach (string ip in key.AllowedIps)
        {
            writer.WriteStringValue(ip);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteVersion(Utf8JsonWriter writer, KmsKeyVersion version)
    {
        writer.WriteStartObject();
        writer.WriteNumber("version", version.Version);
        writer.WriteString("status", version.Status);
        writer.WriteNumber("statusDate", version.StatusDate);
        writer.WriteNumber("rotatedDate", version.RotatedDate);
        if (version.Material.GeneratedSecret is byte[] secret)
        {
            writer.WriteBase64String("secret", secret);
        }
        else
        {
            writer.WriteNull("secret");
        }

        writer.WriteEndObject();
    }

    private static void WriteGenerator(Utf8JsonWriter writer, TokenGenerator? generator)
    {
        if (generator is null)
        {
            writer.WriteNull("tokenGenerator");
            return;
        }

        writer.WriteStartObject("tokenGenerator");
        writer.WriteString("id", generator.Id);
        writer.WriteString("status", generator.Status);
        writer.WriteNumber("enabledDate", generator.EnabledDate);
        writer.WriteNullableNumber("disabledDate"u8, generator.DisabledDate);
        writer.WriteNumber("issuedTokenCount", generator.IssuedTokenCount);
        writer.WriteEndObject();
    }

    private static KmsKey ReadKey(StateElement key, Func<string, KeyMaterial> newMaterial)
    {
        string keyType = key.OneOf("keyType", KeyRules.Aes256, KeyRules.Rsa2048, KeyRules.Ecdsa);
        ImmutableArray<KmsKeyVersion> versions = key.Array("versions").Select(version => ReadVersion(version, keyType, newMaterial)).ToImmutableArray();
        if (versions.Length is 0 or > KeyRules.MaxVersions || versions.Where((version, i) => version.Version != i + 1).Any())
        {
            throw key.Invalid("versions", "1 to " + KeyRules.MaxVersions + " versions numbered 1, 2, 3, ... in order");
        }

        return new KmsKey
        {
            KeyId = key.Long("keyId"),
            KeyTag = Checked(key, "keyTag", KeyRules.IsPlausibleKeyTag, "letters, digits, '-' and '_'"),
            KeyName = Checked(key, "keyName", KeyRules.IsValidKeyName, KeyRules.KeyNameRule),
            KeyType = keyType,
            Status = key.OneOf("status", KeyRules.Enable, KeyRules.Disable, KeyRules.Revoke),
            StatusDate = key.Long("statusDate"),
            ProtectionType = key.OneOf("protectionType", KeyRules.Basic, KeyRules.CommonHsm),
            Memo = key.String("memo"),
            IsConvergent = key.Bool("isConvergent"),
            IsAutoRotation = key.Bool("isAutoRotation"),
            RotationPeriod = key.Int("rotationPeriod", KeyRules.MinRotationPeriod, KeyRules.MaxRotationPeriod),
            NextRotationDate = key.NullableLong("nextRotationDate"),
            RegisterDate = key.Long("registerDate"),
            DestroyDate = key.NullableLong("destroyDate"),
            Versions = versions,
            TokenGenerator = key.NullableObject("tokenGenerator") is StateElement generator ? ReadGenerator(generator) : null,
            IsAclEnabled = key.Bool("isAclEnabled"),
            AllowedIps = key.StringArray("allowedIps").ToImmutableArray(),
        };
    }

    private static KmsKeyVersion ReadVersion(StateElement version, string keyType, Func<string, KeyMaterial> newMaterial)
    {
        byte[]? secret = version.NullableBase64("secret");
        KeyMaterial material;
        try
        {
            material = secret is null ? newMaterial(keyType) : KeyMaterial.FromSecret(keyType, secret);
        }
        catch (CryptographicException e)
        {
            throw version.Invalid("secret", "the key material of a " + keyType + " key (" + e.Message + ")");
        }

        return new KmsKeyVersion(version.Int("version", 1, KeyRules.MaxVersions), version.OneOf("status", KeyRules.Enable, KeyRules.Disable),
            version.Long("statusDate"), version.Long("rotatedDate"), material);
    }

    private static TokenGenerator ReadGenerator(StateElement generator) => new(
        generator.String("id"),
        generator.OneOf("status", KeyRules.GeneratorActive, KeyRules.GeneratorInactive),
        generator.Long("enabledDate"),
        generator.NullableLong("disabledDate"),
        generator.Int("issuedTokenCount", 0, int.MaxValue));

    private static byte[] ReadTokenSigningKey(StateElement root)
    {
        byte[] key = root.Base64("tokenSigningKey");
        return key.Length >= TokenCodec.SigningKeyBytes ? key : throw root.Invalid("tokenSigningKey", "at least " + TokenCodec.SigningKeyBytes + " bytes");
    }

    private static string Checked(StateElement key, string name, Func<string, bool> rule, string expected)
    {
        string value = key.String(name);
        return rule(value) ? value : throw key.Invalid(name, expected + ", not '" + value + "'");
    }

    private static void CheckUnique(KmsKey[] keys, Func<KmsKey, string> field, string name)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < keys.Length; i++)
        {
            if (!seen.Add(field(keys[i])))
            {
                throw new InvalidDataException("$.keys[" + i + "]." + name + ": '" + field(keys[i]) + "' is used by an earlier key");
            }
        }
    }
}
