// The "wire" baseline of the benchmark: the least a C# program must do to rotate a key or encrypt a value with
// NCP KMS API 2.0, one request after another over one pooled HttpClient. It has its own signature v2 signer,
// written from the reference (ncp-kms-api.md §3.2) rather than taken from NcpKms, so the baseline shares no code
// with what it measures. Compiled by Invoke-Benchmark.ps1 with Add-Type; no project of its own.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net.Http;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace NcpKmsBench
{
    public sealed class RawClient : IDisposable
    {
        private readonly HttpClient _http = new HttpClient();
        private readonly string _endpoint;
        private readonly string _accessKey;
        private readonly byte[] _secretKey;

        public RawClient(string endpoint, string accessKey, string secretKey)
        {
            _endpoint = endpoint.TrimEnd('/');
            _accessKey = accessKey;
            _secretKey = Encoding.UTF8.GetBytes(secretKey);
        }

        /// <summary>Base64(HMAC-SHA256(secret, "METHOD URI\nTIMESTAMP\nACCESSKEY")), reference §3.2.</summary>
        public static string Sign(byte[] secretKey, string method, string requestUri, string timestamp, string accessKey)
        {
            byte[] message = Encoding.UTF8.GetBytes(method + " " + requestUri + "\n" + timestamp + "\n" + accessKey);
            return Convert.ToBase64String(HMACSHA256.HashData(secretKey, message));
        }

        /// <summary>Rotates each key in turn; returns the new versions, so the answers are read as a real client must.</summary>
        public int[] RotateEach(string[] keyTags)
        {
            var versions = new int[keyTags.Length];
            for (int i = 0; i < keyTags.Length; i++)
            {
                // An empty body, as NcpKms sends for a state change (so the handler never replays it).
                using JsonDocument answer = Send("/kms/v1/keys/" + keyTags[i] + "/rotate", Array.Empty<byte>());
                versions[i] = answer.RootElement.GetProperty("data").GetProperty("version").GetInt32();
            }

            return versions;
        }

        /// <summary>Encrypts each value (UTF-8) under one key in turn; returns the ciphertexts.</summary>
        public string[] EncryptEach(string keyTag, string[] values)
        {
            var ciphertexts = new string[values.Length];
            string path = "/kms/v1/keys/" + keyTag + "/encrypt";
            for (int i = 0; i < values.Length; i++)
            {
                byte[] body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string>
                {
                    ["plaintext"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(values[i])),
                });
                using JsonDocument answer = Send(path, body);
                ciphertexts[i] = answer.RootElement.GetProperty("data").GetProperty("ciphertext").GetString()!;
            }

            return ciphertexts;
        }

        public void Dispose() => _http.Dispose();

        private JsonDocument Send(string path, byte[] body)
        {
            string timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
            using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint + path);
            request.Headers.Add("x-ncp-apigw-timestamp", timestamp);
            request.Headers.Add("x-ncp-iam-access-key", _accessKey);
            request.Headers.Add("x-ncp-apigw-signature-v2", Sign(_secretKey, "POST", path, timestamp, _accessKey));
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            // SendAsync and a blocking wait, as a C# loop that awaits each call does; NcpKms is async too.
            using HttpResponseMessage response = _http.SendAsync(request).GetAwaiter().GetResult();
            byte[] bytes = response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult();
            JsonDocument answer = JsonDocument.Parse(bytes);
            if (!response.IsSuccessStatusCode || answer.RootElement.GetProperty("code").GetString() != "SUCCESS")
            {
                answer.Dispose();
                throw new InvalidOperationException("POST " + path + " answered HTTP " + (int)response.StatusCode + ": " + Encoding.UTF8.GetString(bytes));
            }

            return answer;
        }
    }
}
