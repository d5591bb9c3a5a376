using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using NcpKms.Core;

namespace NcpKms.Commands;

/// <summary>Encrypt, Decrypt or Re-encrypt with a list of values (see <see cref="KmsCryptoOperations"/>).</summary>
internal delegate Task<KmsResult<IReadOnlyList<TResult>>> BatchCall<TValue, TResult>(KmsConnection connection, string keyTag,
    IReadOnlyList<TValue> values, byte[]? context, CancellationToken cancellationToken);

/// <summary>
/// Values for one key and encryption context waiting to go out in one request, in the list form of Encrypt,
/// Decrypt and Re-encrypt; the answer mirrors it, one result per value in the same order. A batch takes values
/// while they number fewer than its maximum and come to at most 32 KB together: the limit KMS sets for a list of
/// plaintexts, applied to ciphertexts too (each is longer than its plaintext, so their plaintexts stay within it).
/// The first value is taken whatever its size, so a value that would be sent alone is still sent, alone.
/// </summary>
internal sealed class CryptoBatch<TValue, TResult>
{
    private readonly List<TValue> _values = new();
    private readonly List<Action<TResult>> _writers = new();
    private readonly List<Action> _sent = new();
    private readonly int _maxCount;
    private long _bytes;

    public CryptoBatch(BatchCall<TValue, TResult> call, string keyTag, byte[]? context, int maxCount)
    {
        Call = call;
        KeyTag = keyTag;
        Context = context;
        _maxCount = maxCount;
    }

    public BatchCall<TValue, TResult> Call { get; }

    public string KeyTag { get; }

    public byte[]? Context { get; }

    public IReadOnlyList<TValue> Values => _values;

    public int Count => _values.Count;

    public bool IsFull => Count >= _maxCount;

    /// <summary>Whether a value of <paramref name="size"/> bytes for this key and context can join.</summary>
    public bool Takes(string keyTag, byte[]? context, int size) =>
        !IsFull && string.Equals(KeyTag, keyTag, StringComparison.Ordinal) && SameContext(context)
        && _bytes + size <= KmsCryptoLimits.MaxPlaintextBytes;

    /// <param name="write">Gets the value's result.</param>
    /// <param name="sent">Runs once the request body holds the value (to wipe a copy of a plaintext); null for none.</param>
    public void Add(TValue value, int size, Action<TResult> write, Action? sent)
    {
        _values.Add(value);
        _writers.Add(write);
        if (sent is not null) _sent.Add(sent);
        _bytes += size;
    }

    /// <summary>Hands the value at <paramref name="index"/> its result.</summary>
    public void Write(int index, TResult result) => _writers[index](result);

    /// <summary>The request has been built: the values are no longer needed.</summary>
    public void Sent()
    {
        foreach (Action sent in _sent) sent();
    }

    private bool SameContext(byte[]? context) =>
        Context is null ? context is null : context is not null && context.AsSpan().SequenceEqual(Context);
}
