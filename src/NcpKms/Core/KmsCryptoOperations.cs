using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace NcpKms.Core;

/// <summary>A data key as Create Custom Key returns it; the cmdlet decides how to hand out the plaintext.</summary>
public sealed record GeneratedDataKey(string Ciphertext, int? KeyVersion, byte[]? Plaintext);

/// <summary>
/// The cryptographic operations of KMS API 2.0 (ncp-kms-api.md §8.4), as calls on a connection with account or
/// token authentication. Binary values travel as Base64, written straight from the bytes. Encrypt, Decrypt and
/// Re-encrypt take one value or a list: one is sent as a JSON string, a list as an array, and the answer
/// mirrors the form sent. Inputs are expected to have passed <see cref="KmsCryptoLimits"/>.
/// </summary>
public static class KmsCryptoOperations
{
    public static Task<KmsResult<IReadOnlyList<EncryptedData>>> EncryptAsync(this KmsConnection connection, string keyTag,
        IReadOnlyList<byte[]> plaintexts, byte[]? context, CancellationToken cancellationToken)
    {
        byte[] body = KmsJsonBody.Write(writer =>
        {
            WriteOneOrMany(writer, "plaintext", plaintexts, (w, plaintext) => w.WriteBase64StringValue(plaintext));
            WriteContext(writer, context);
        });
        return connection.SendAsync(KmsRequest.ForCrypto("Encrypt", keyTag, "encrypt", body),
            data => ReadOneOrMany(data, "ciphertext", plaintexts.Count, ciphertext => EncryptedData.From(keyTag, ciphertext)),
            cancellationToken);
    }

    public static Task<KmsResult<IReadOnlyList<byte[]>>> DecryptAsync(this KmsConnection connection, string keyTag,
        IReadOnlyList<string> ciphertexts, byte[]? context, CancellationToken cancellationToken)
    {
        // The answer is the plaintext: no part of its body may reach a message.
        var request = KmsRequest.ForCrypto("Decrypt", keyTag, "decrypt", CiphertextBody(ciphertexts, context), sensitiveResponse: true);
        return connection.SendAsync(request, data => ReadOneOrMany(data, "plaintext", ciphertexts.Count, Convert.FromBase64String), cancellationToken);
    }

    public static Task<KmsResult<IReadOnlyList<EncryptedData>>> ReEncryptAsync(this KmsConnection connection, string keyTag,
        IReadOnlyList<string> ciphertexts, byte[]? context, CancellationToken cancellationToken)
    {
        var request = KmsRequest.ForCrypto("Re-encrypt", keyTag, "re-encrypt", CiphertextBody(ciphertexts, context));
        return connection.SendAsync(request,
            data => ReadOneOrMany(data, "newCiphertext", ciphertexts.Count, ciphertext => EncryptedData.From(keyTag, ciphertext)),
            cancellationToken);
    }

    /// <summary>Create Custom Key. Without <paramref name="requestPlainKey"/> any plaintext in the answer is ignored.</summary>
    public static Task<KmsResult<GeneratedDataKey>> CreateDataKeyAsync(this KmsConnection connection, string keyTag, int bits,
        bool requestPlainKey, byte[]? context, CancellationToken cancellationToken)
    {
        byte[] body = KmsJsonBody.Write(writer =>
        {
            writer.WriteBoolean("requestPlainKey", requestPlainKey);
            writer.WriteNumber("bits", bits);
            WriteContext(writer, context);
        });
        var request = KmsRequest.ForCrypto("Create Custom Key", keyTag, "create-custom-key", body, sensitiveResponse: true);
        return connection.SendAsync(request, data => ReadDataKey(data, requestPlainKey), cancellationToken);
    }

    public static Task<KmsResult<DataSignature>> SignAsync(this KmsConnection connection, string keyTag, byte[] data,
        CancellationToken cancellationToken)
    {
        byte[] body = KmsJsonBody.Write(writer => writer.WriteBase64String("data", data));
        return connection.SendAsync(KmsRequest.ForCrypto("Sign", keyTag, "sign", body),
            answer => DataSignature.From(keyTag, JsonFields.RequiredString(answer, "signature")), cancellationToken);
    }

    public static Task<KmsResult<bool>> VerifyAsync(this KmsConnection connection, string keyTag, byte[] data, string signature,
        CancellationToken cancellationToken)
    {
        byte[] body = KmsJsonBody.Write(writer =>
        {
            writer.WriteBase64String("data", data);
            writer.WriteString("signature", signature);
        });
        // The field table says String, the example Boolean (§11 #7): JsonFields.Bool reads true and "true".
        return connection.SendAsync(KmsRequest.ForCrypto("Verify", keyTag, "verify", body),
            answer => JsonFields.Bool(answer, "valid") ?? throw new FormatException("The field 'valid' is missing."), cancellationToken);
    }

    /// <summary>Get Public Key (a POST); without a version, the current one.</summary>
    public static Task<KmsResult<PublicKeyInfo>> GetPublicKeyAsync(this KmsConnection connection, string keyTag, int? version,
        CancellationToken cancellationToken)
    {
        byte[] body = KmsJsonBody.Write(writer =>
        {
            if (version is not null) writer.WriteNumber("keyVersion", version.Value);
        });
        return connection.SendAsync(KmsRequest.ForCrypto("Get Public Key", keyTag, "get-pub-key", body),
            data => PublicKeyInfo.From(keyTag, version, JsonFields.RequiredString(data, "publicKey")), cancellationToken);
    }

    private static byte[] CiphertextBody(IReadOnlyList<string> ciphertexts, byte[]? context) => KmsJsonBody.Write(writer =>
    {
        WriteOneOrMany(writer, "ciphertext", ciphertexts, (w, ciphertext) => w.WriteStringValue(ciphertext));
        WriteContext(writer, context);
    });

    private static void WriteOneOrMany<T>(Utf8JsonWriter writer, string name, IReadOnlyList<T> values, Action<Utf8JsonWriter, T> writeValue)
    {
        writer.WritePropertyName(name);
        if (values.Count == 1)
        {
            writeValue(writer, values[0]);
            return;
        }

        writer.WriteStartArray();
        foreach (T value in values) writeValue(writer, value);
        writer.WriteEndArray();
    }

    private static void WriteContext(Utf8JsonWriter writer, byte[]? context)
    {
        if (context is not null) writer.WriteBase64String("context", context);
    }

    /// <summary>A field that is a string for one value and an array of strings for a list; one value per value sent.</summary>
    private static IReadOnlyList<T> ReadOneOrMany<T>(JsonElement data, string name, int expected, Func<string, T> convert)
    {
        // API 1.0 answered a list in "<name>List" (§9); accept that spelling too.
        if (!JsonFields.TryGet(data, name, out JsonElement value) && !JsonFields.TryGet(data, name + "List", out value))
            throw new FormatException($"The field '{name}' is missing.");
        var values = new List<T>(expected);
        if (value.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement item in value.EnumerateArray()) values.Add(convert(StringOf(item, name)));
        }
        else
        {
            values.Add(convert(StringOf(value, name)));
        }

        return values.Count == expected ? values
            : throw new FormatException($"The field '{name}' holds {values.Count} values for the {expected} sent.");
    }

    private static string StringOf(JsonElement value, string name) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()!
            : throw new FormatException($"The field '{name}' should hold strings but holds a JSON {value.ValueKind.ToString().ToLowerInvariant()}.");

    private static GeneratedDataKey ReadDataKey(JsonElement data, bool requestPlainKey)
    {
        string ciphertext = JsonFields.RequiredString(data, "ciphertext");
        // Documented in snake_case (§8.4.4); tolerate camelCase, and fall back on the ciphertext's prefix.
        int? version = JsonFields.Int(data, "key_version") ?? JsonFields.Int(data, "keyVersion") ?? KmsCryptoLimits.VersionOf(ciphertext);
        // The newest page allows the plaintext as a String or an Array (§11 #8): one key either way.
        byte[]? plaintext = requestPlainKey ? ReadOneOrMany(data, "plaintext", 1, Convert.FromBase64String)[0] : null;
        return new GeneratedDataKey(ciphertext, version, plaintext);
    }
}
