using System.Management.Automation;
using NcpKms.Core;

namespace NcpKms.Commands;

/// <summary>Builds the module's ErrorRecords: id NcpKms.&lt;Reason&gt;, a category for the kind, the key tag as target.</summary>
internal static class ErrorRecords
{
    public const string IdPrefix = "NcpKms.";

    public static ErrorRecord From(KmsException exception, object? target = null)
    {
        var record = new ErrorRecord(exception, IdPrefix + exception.Reason, Category(exception.Kind), target ?? exception.KeyTag);
        string? action = RecommendedAction(exception.Reason);
        if (action is not null) record.ErrorDetails = new ErrorDetails(exception.Message) { RecommendedAction = action };
        return record;
    }

    public static ErrorCategory Category(KmsErrorKind kind) => kind switch
    {
        KmsErrorKind.Authentication => ErrorCategory.AuthenticationError,
        KmsErrorKind.PermissionDenied => ErrorCategory.PermissionDenied,
        KmsErrorKind.NotFound => ErrorCategory.ObjectNotFound,
        KmsErrorKind.InvalidArgument => ErrorCategory.InvalidArgument,
        KmsErrorKind.InvalidState => ErrorCategory.InvalidOperation,
        KmsErrorKind.LimitExceeded => ErrorCategory.LimitsExceeded,
        KmsErrorKind.Unavailable => ErrorCategory.ResourceUnavailable,
        KmsErrorKind.Connection => ErrorCategory.ConnectionError,
        KmsErrorKind.Timeout => ErrorCategory.OperationTimeout,
        KmsErrorKind.InvalidResponse => ErrorCategory.InvalidResult,
        _ => ErrorCategory.NotSpecified,
    };

    private static string? RecommendedAction(string reason) => reason switch
    {
        "CredentialsNotFound" => "Run Connect-NcpKms, or set NCLOUD_ACCESS_KEY_ID and NCLOUD_SECRET_ACCESS_KEY, or add the keys to ~/.ncloud/configure. See Get-Help about_NcpKms.",
        "AuthenticationFailed" => "Check the access key and secret key (Get-NcpKmsContext shows which ones are used and where they came from).",
        "ClockSkew" => "Synchronise the system clock (NTP); NCP accepts request timestamps within 5 minutes of its own clock.",
        _ => null,
    };
}
