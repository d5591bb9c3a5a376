using System;

namespace NcpKms.Core;

/// <summary>
/// When a failed call is tried again, and after how long: exponential back-off with full jitter, capped,
/// honouring Retry-After. Throttling (429) and requests that never left are retried for every operation;
/// 502/503/504, timeouts and dropped connections only for requests that are safe to repeat.
/// </summary>
public sealed class KmsRetryPolicy
{
    public const int DefaultMaxRetries = 3;
    public const int MaxAllowedRetries = 10;
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(100);
    public static readonly TimeSpan BaseDelay = TimeSpan.FromMilliseconds(500);
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(20);

    /// <summary>A Retry-After longer than this is not waited for: the call fails and says so.</summary>
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(60);

    public static readonly KmsRetryPolicy Default = new(DefaultMaxRetries, DefaultTimeout);

    public KmsRetryPolicy(int maxRetries, TimeSpan timeout)
    {
        if (maxRetries is < 0 or > MaxAllowedRetries) throw new ArgumentOutOfRangeException(nameof(maxRetries), maxRetries, $"0 to {MaxAllowedRetries}");
        if (timeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "more than zero");
        MaxRetries = maxRetries;
        Timeout = timeout;
    }

    /// <summary>Retries after the first attempt.</summary>
    public int MaxRetries { get; }

    /// <summary>How long one attempt may take before it counts as timed out.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>Whether a failure may be retried at all, whatever the attempt count.</summary>
    public static bool IsRetryable(KmsException failure, KmsRequest request) =>
        failure.NotSent
        || failure.StatusCode == 429
        || (request.Idempotent && (failure.OutcomeUnknown || failure.StatusCode is 502 or 503 or 504));

    /// <summary>The wait before retry number <paramref name="retry"/> (1-based), or null when the call must fail now.</summary>
    public TimeSpan? DelayBefore(int retry, KmsException failure, KmsRequest request, Random random)
    {
        if (retry > MaxRetries || !IsRetryable(failure, request)) return null;
        if (failure.RetryAfter is TimeSpan asked) return asked <= MaxRetryAfter ? asked : null;
        double ceiling = Math.Min(MaxDelay.TotalMilliseconds, BaseDelay.TotalMilliseconds * Math.Pow(2, retry - 1));
        return TimeSpan.FromMilliseconds(random.NextDouble() * ceiling);
    }
}
