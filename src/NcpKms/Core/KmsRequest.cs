using System;
using System.Net.Http;
using System.Text;

namespace NcpKms.Core;

/// <summary>One KMS API call: method, path under /kms/v1, optional query and JSON body.</summary>
public sealed class KmsRequest
{
    private KmsRequest(HttpMethod method, string operation, string pathAndQuery, string? keyTag, byte[]? body, bool sensitiveResponse,
        bool? idempotent)
    {
        Method = method;
        Operation = operation;
        PathAndQuery = pathAndQuery;
        KeyTag = keyTag;
        Body = body;
        SensitiveResponse = sensitiveResponse;
        Idempotent = idempotent ?? method == HttpMethod.Get;
    }

    public HttpMethod Method { get; }

    /// <summary>NCP's name of the operation ("Rotate Key"), for messages.</summary>
    public string Operation { get; }

    /// <summary>Path and query below /kms/v1, already escaped, e.g. "/keys?pageNo=1&amp;pageSize=200".</summary>
    public string PathAndQuery { get; }

    /// <summary>The key the call is about; becomes the error's target.</summary>
    public string? KeyTag { get; }

    /// <summary>UTF-8 JSON body, or null for none.</summary>
    public byte[]? Body { get; }

    /// <summary>True when the answer may hold plaintext or key material, so no part of its body may reach a message.</summary>
    public bool SensitiveResponse { get; }

    /// <summary>
    /// True when sending the request twice does no harm (reads, and crypto that changes no state), so it may be
    /// retried after an ambiguous failure. State changes are never repeated blindly.
    /// </summary>
    public bool Idempotent { get; }

    /// <summary>A call on the key collection, e.g. Get Key List.</summary>
    public static KmsRequest ForKeys(HttpMethod method, string operation, string query = "", byte[]? body = null) =>
        new(method, operation, "/keys" + (query.Length > 0 ? "?" + query : string.Empty), null, body, sensitiveResponse: false, idempotent: null);

    /// <summary>A call on one key: /keys/{keyTag}[/action]. The tag must already be valid (KeyTag.Validate).</summary>
    /// <param name="idempotent">Whether the call may be repeated; by default only GET is.</param>
    public static KmsRequest ForKey(HttpMethod method, string operation, string keyTag, string action = "",
        byte[]? body = null, bool sensitiveResponse = false, bool? idempotent = null) =>
        new(method, operation, "/keys/" + Uri.EscapeDataString(keyTag) + (action.Length > 0 ? "/" + action : string.Empty),
            keyTag, body, sensitiveResponse, idempotent);

    /// <summary>
    /// A cryptographic operation on a key (encrypt, decrypt, re-encrypt, data key, sign, verify, public key):
    /// a POST that changes no state, so it may be repeated after an ambiguous failure.
    /// </summary>
    public static KmsRequest ForCrypto(string operation, string keyTag, string action, byte[] body, bool sensitiveResponse = false) =>
        ForKey(HttpMethod.Post, operation, keyTag, action, body, sensitiveResponse, idempotent: true);

    /// <summary>Builds a query string once, RFC 3986-escaped, so the same bytes are sent and signed.</summary>
    public static string Query(params (string Name, string Value)[] parameters)
    {
        var builder = new StringBuilder();
        foreach ((string name, string value) in parameters)
        {
            if (builder.Length > 0) builder.Append('&');
            builder.Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
        }

        return builder.ToString();
    }

    /// <summary>What to call the request in a message: "Rotate Key for key 'tag'".</summary>
    public string Describe() => KeyTag is null ? Operation : $"{Operation} for key '{KeyTag}'";
}
