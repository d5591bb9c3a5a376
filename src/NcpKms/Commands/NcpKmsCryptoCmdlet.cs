using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using NcpKms.Core;

namespace NcpKms.Commands;

/// <summary>
/// The base of the crypto cmdlets. Each pipeline item is checked before its request (key tag, input sizes,
/// key type), and any failure is a non-terminating error for that item whose target is the key tag. The
/// key type comes from <see cref="KeyTypeCache"/>, filled by one Get Key Info per key and process when the
/// connection uses account authentication; a token cannot read key info, so with a token only the limits
/// that hold for every key type are checked, unless the type was learned earlier in the process.
/// </summary>
public abstract class NcpKmsCryptoCmdlet : NcpKmsTokenCmdlet
{
    // Keys whose type this pipeline could not learn: asked (or explained) once, not once per item.
    private readonly HashSet<string> _unknownKeyTypes = new(StringComparer.Ordinal);

    /// <summary>
    /// Runs one item after checking its key tag; a KmsException from its checks (or a call it awaits) becomes the
    /// item's error, written after the results of earlier items.
    /// </summary>
    protected void ProcessItem(string keyTag, Action item)
    {
        if (this.ValidateKeyTag(keyTag, WriteErrorInOrder)) this.TryCheck(item, keyTag, WriteErrorInOrder);
    }

    /// <summary>Sends one call and waits for it; a failure throws the KmsException, which <see cref="ProcessItem"/> reports.</summary>
    protected T Call<T>(Func<KmsConnection, CancellationToken, Task<KmsResult<T>>> call) => Invoke(Connection, call);

    /// <summary>
    /// The bytes of a string, SecureString or byte[] parameter. Text is encoded strictly: a character the
    /// encoding cannot represent is an error, not a '?' that would be encrypted or signed in its place.
    /// </summary>
    protected static byte[] BytesOf(object? value, Encoding encoding, string parameterName)
    {
        try
        {
            return BinaryInput.ToBytes(value, CryptoText.Strict(encoding), parameterName);
        }
        catch (EncoderFallbackException)
        {
            throw new KmsException("EncodingFailed", KmsErrorKind.InvalidArgument,
                $"-{parameterName} holds text that {encoding.WebName} cannot encode (a character outside its range, or half of a surrogate pair): "
                + "choose another -Encoding, or pass a byte array. No request was sent.");
        }
    }

    /// <summary>Wipes bytes the cmdlet made from text or a SecureString; a byte array the caller passed is theirs and left alone.</summary>
    protected static void Wipe(byte[] bytes, object? source)
    {
        if (!ReferenceEquals(bytes, source is PSObject wrapped ? wrapped.BaseObject : source)) Array.Clear(bytes);
    }

    /// <summary>-EncryptionContext as bytes (a string is always UTF-8, whatever -Encoding says), checked against the 50-byte limit.</summary>
    protected static byte[]? ContextBytes(object? value)
    {
        if (value is null) return null;
        byte[] context = BytesOf(value, Encoding.UTF8, "EncryptionContext");
        KmsCryptoLimits.CheckContext(context);
        return context;
    }

    /// <summary>The key's type when it is known, after refusing a type that cannot serve <paramref name="use"/>.</summary>
    protected string? CheckKeyType(string keyTag, KmsKeyUse use)
    {
        string? keyType = KeyTypeOf(keyTag);
        KmsCryptoLimits.CheckKeyType(keyType, use, MyInvocation.MyCommand.Name);
        return keyType;
    }

    /// <summary>How Verbose output gives a size: the count of bytes, never the bytes.</summary>
    protected static string ByteCount(int length) => length == 1 ? "1 byte" : $"{length} bytes";

    /// <summary>How Verbose output names a key: "AES256 key 'tag'" when the type is known.</summary>
    protected static string DescribeKey(string keyTag, string? keyType) =>
        keyType is null ? $"key '{keyTag}'" : $"{keyType} key '{keyTag}'";

    private string? KeyTypeOf(string keyTag)
    {
        KmsConnection connection = Connection;
        if (KeyTypeCache.TryGet(connection.Endpoint, keyTag, out string? cached)) return cached;
        if (!_unknownKeyTypes.Add(keyTag)) return null;
        if (connection.Authentication is not KmsCredential)
        {
            WriteVerbose($"The type of key '{keyTag}' is not known, and a token cannot read it (Get Key Info needs account authentication): "
                + "only the limits that hold for every key type are checked before sending.");
            return null;
        }

        try
        {
            string? keyType = Invoke(connection, (c, token) => c.GetKeyAsync(keyTag, token)).KeyType;
            if (keyType is null) return null;
            KeyTypeCache.Set(connection.Endpoint, keyTag, keyType);
            _unknownKeyTypes.Remove(keyTag);
            return keyType.ToUpperInvariant();
        }
        catch (KmsException exception)
        {
            WriteVerbose($"The type of key '{keyTag}' could not be read ({ErrorRecords.IdPrefix}{exception.Reason}): "
                + "only the limits that hold for every key type are checked before sending.");
            return null;
        }
    }
}

/// <summary>
/// The base of the crypto cmdlets made for many values from the pipeline: -ThrottleLimit lets several requests
/// run at once, and Encrypt, Decrypt and Re-encrypt send values for the same key and context together in the
/// API's list form (<see cref="CryptoBatch{TValue, TResult}"/>). Results are written in input order either way.
/// </summary>
public abstract class NcpKmsBulkCryptoCmdlet : NcpKmsCryptoCmdlet
{
    /// <summary>
    /// -BatchSize by default: piping many small values takes one request per 50, and a failed request fails few
    /// values. KMS does not document how long a list may be, so -BatchSize goes no higher than 100.
    /// </summary>
    protected const int DefaultBatchSize = 50;

    protected const int MaxBatchSize = 100;

    // The batch being filled, and how to send it: its types depend on the operation.
    private (object Batch, Action Send)? _pending;

    /// <summary>How many requests may be in flight at once; results are still written in input order.</summary>
    [Parameter]
    [ValidateRange(1, CallWindow.MaxLimit)]
    public int ThrottleLimit { get; set; } = 1;

    protected override int InFlightLimit => ThrottleLimit;

    /// <summary>How many values one request may carry; the cmdlets that batch take it as -BatchSize.</summary>
    protected virtual int MaxBatchCount => 1;

    /// <summary>
    /// Adds a checked value to the batch for its key and context, first sending the batch being filled if the
    /// value cannot join it (another key or context, or over the size limit); a full batch is sent at once.
    /// <paramref name="write"/> gets the value's own result, in input order; when the request fails, every
    /// value of the batch gets the failure as its own error. <paramref name="sent"/> runs once the request body
    /// holds the value (to wipe a copy the cmdlet made).
    /// </summary>
    private protected void Batch<TValue, TResult>(BatchCall<TValue, TResult> call, string keyTag, byte[]? context, TValue value, int size,
        Action<TResult> write, Action? sent = null)
    {
        if (_pending?.Batch is not CryptoBatch<TValue, TResult> batch || !batch.Takes(keyTag, context, size))
        {
            SendPending();
            batch = Open(call, keyTag, context);
        }

        batch.Add(value, size, write, sent);
        if (batch.IsFull) SendPending();
    }

    protected override void SendPending()
    {
        Action? send = _pending?.Send;
        _pending = null;
        send?.Invoke();
    }

    private CryptoBatch<TValue, TResult> Open<TValue, TResult>(BatchCall<TValue, TResult> call, string keyTag, byte[]? context)
    {
        var batch = new CryptoBatch<TValue, TResult>(call, keyTag, context, MaxBatchCount);
        _pending = (batch, () => SendBatch(batch));
        return batch;
    }

    private void SendBatch<TValue, TResult>(CryptoBatch<TValue, TResult> batch)
    {
        if (batch.Count > 1 && VerboseEnabled)
            WriteVerbose($"Sending {batch.Count} values for key '{batch.KeyTag}' in one request.");
        KmsConnection connection = Connection;
        Task<KmsResult<IReadOnlyList<TResult>>> sent;
        try
        {
            sent = Start(() => batch.Call(connection, batch.KeyTag, batch.Values, batch.Context, StopToken));
        }
        finally
        {
            batch.Sent();
        }

        Enqueue(sent, () => WriteBatch(sent, batch));
    }

    /// <summary>Each value's result, or the request's failure as each value's own error; the request is reported once.</summary>
    private void WriteBatch<TValue, TResult>(Task<KmsResult<IReadOnlyList<TResult>>> sent, CryptoBatch<TValue, TResult> batch)
    {
        if (sent.IsCompletedSuccessfully) Report(sent.Result);
        for (int index = 0; index < batch.Count; index++)
        {
            int item = index;
            this.TryCheck(() => batch.Write(item, Outcome(sent).Value[item]), batch.KeyTag);
        }
    }
}

/// <summary>The base of Unprotect-NcpKmsData and Update-NcpKmsCiphertext: a ciphertext of a key, and its context.</summary>
public abstract class NcpKmsCiphertextCmdlet : NcpKmsBulkCryptoCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(KeyTagCompleter))]
    [AllowEmptyString]
    public string KeyTag { get; set; } = string.Empty;

    [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString]
    public string Ciphertext { get; set; } = string.Empty;

    [Parameter]
    public object? EncryptionContext { get; set; }

    /// <summary>How many ciphertexts one request may carry; 1 sends each ciphertext alone.</summary>
    [Parameter]
    [ValidateRange(1, MaxBatchSize)]
    public int BatchSize { get; set; } = DefaultBatchSize;

    protected override int MaxBatchCount => BatchSize;

    /// <summary>The checks of one item before its request: the ciphertext's form, the context, the key type.</summary>
    protected (string Ciphertext, byte[]? Context, string? KeyType) CheckItem()
    {
        string ciphertext = KmsCryptoLimits.CheckCiphertext(Ciphertext);
        byte[]? context = ContextBytes(EncryptionContext);
        return (ciphertext, context, CheckKeyType(KeyTag, KmsKeyUse.Encryption));
    }

    /// <summary>"a version 3 ciphertext", for Verbose output.</summary>
    protected static string DescribeCiphertext(string ciphertext) => $"a version {KmsCryptoLimits.VersionOf(ciphertext)} ciphertext";
}

/// <summary>
/// The base of the cmdlets that take data for a key as text or bytes (Protect-NcpKmsData, New- and
/// Test-NcpKmsSignature): -KeyTag comes by property name, since the data takes the pipeline, and -Encoding
/// turns text into bytes.
/// </summary>
public abstract class NcpKmsDataCmdlet : NcpKmsBulkCryptoCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(KeyTagCompleter))]
    [AllowEmptyString]
    public string KeyTag { get; set; } = string.Empty;

    [Parameter]
    [EncodingTransformation]
    [ArgumentCompleter(typeof(EncodingCompleter))]
    public Encoding Encoding { get; set; } = CryptoText.DefaultEncoding;

    /// <summary>The checks of one Sign or Verify item: the data as bytes within the 8 KB limit, and a key type that can sign.</summary>
    protected (byte[] Data, string? KeyType) CheckSignItem(object data)
    {
        byte[] bytes = BytesOf(data, Encoding, "Data");
        KmsCryptoLimits.CheckSignData(bytes);
        return (bytes, CheckKeyType(KeyTag, KmsKeyUse.Signing));
    }
}
