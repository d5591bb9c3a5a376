using System;
using System.Globalization;

namespace NcpKms.Core;

/// <summary>
/// Retry and timeout settings: Connect-NcpKms -MaxRetries/-TimeoutSec, else the environment variables
/// NCLOUD_KMS_MAX_RETRIES and NCLOUD_KMS_TIMEOUT_SEC, else the defaults (3 retries, 100 seconds).
/// </summary>
public static class KmsSettings
{
    public const string MaxRetriesVariable = "NCLOUD_KMS_MAX_RETRIES";
    public const string TimeoutVariable = "NCLOUD_KMS_TIMEOUT_SEC";
    public const int MaxTimeoutSeconds = 3600;

    public static KmsRetryPolicy RetryPolicy(Func<string, string?> environment, int? maxRetries = null, int? timeoutSeconds = null)
    {
        int retries = maxRetries ?? Read(environment, MaxRetriesVariable, 0, KmsRetryPolicy.MaxAllowedRetries) ?? KmsRetryPolicy.DefaultMaxRetries;
        int? seconds = timeoutSeconds ?? Read(environment, TimeoutVariable, 1, MaxTimeoutSeconds);
        return new KmsRetryPolicy(retries, seconds is int value ? TimeSpan.FromSeconds(value) : KmsRetryPolicy.DefaultTimeout);
    }

    private static int? Read(Func<string, string?> environment, string name, int min, int max)
    {
        string? text = environment(name);
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value >= min && value <= max) return value;
        throw new KmsException("InvalidSetting", KmsErrorKind.InvalidArgument,
            $"The environment variable {name} is '{text}': it must be a whole number from {min} to {max}.");
    }
}
