using System;
using System.Diagnostics.CodeAnalysis;
using System.Linq;
using System.Management.Automation;
using NcpKms.Core;

namespace NcpKms.Commands;

/// <summary>
/// Checks of cmdlet input, reported as NcpKms ErrorRecords. A broken rule, or a failed call run through
/// <see cref="TryGet"/>, fails only its pipeline item; a command line with nothing to change stops the command.
/// </summary>
internal static class InputChecks
{
    /// <summary>
    /// Runs a domain rule for one pipeline item; a KmsException from it becomes the item's non-terminating
    /// NcpKms.&lt;Reason&gt; error, whose target is <paramref name="target"/>, else the key tag the rule named.
    /// The error goes to <paramref name="writeError"/> when given (to keep its place among results still in flight).
    /// </summary>
    public static bool TryCheck(this Cmdlet cmdlet, Action check, object? target = null, Action<ErrorRecord>? writeError = null)
    {
        try
        {
            check();
            return true;
        }
        catch (KmsException exception)
        {
            (writeError ?? cmdlet.WriteError)(ErrorRecords.From(exception, target));
            return false;
        }
    }

    /// <summary>The value a domain rule or a call returns; its KmsException is reported as by <see cref="TryCheck"/>.</summary>
    public static bool TryGet<T>(this Cmdlet cmdlet, Func<T> get, [MaybeNullWhen(false)] out T value, object? target = null)
    {
        T? result = default;
        bool succeeded = cmdlet.TryCheck(() => result = get(), target);
        value = result!;
        return succeeded;
    }

    /// <summary>Checks a -KeyTag value (every cmdlet names it so) before any request; a bad one gets a non-terminating NcpKms.InvalidKeyTag.</summary>
    public static bool ValidateKeyTag(this Cmdlet cmdlet, string? keyTag, Action<ErrorRecord>? writeError = null) =>
        cmdlet.TryCheck(() => KeyTag.Validate(keyTag, nameof(KeyCmdlet.KeyTag)), writeError: writeError);

    /// <summary>
    /// Stops the command with NcpKms.NothingToChange when none of the parameters that say what to change
    /// was bound: a partial update with nothing to update is a mistake in the command line, not in one item.
    /// </summary>
    public static void RequireAnyBound(this PSCmdlet cmdlet, params string[] parameterNames)
    {
        if (parameterNames.Any(cmdlet.MyInvocation.BoundParameters.ContainsKey)) return;
        string listed = string.Join(" or ", parameterNames.Select(name => "-" + name));
        var exception = new KmsException("NothingToChange", KmsErrorKind.InvalidArgument,
            $"{cmdlet.MyInvocation.MyCommand.Name} changes only what it is given: give {listed}. No request was sent.");
        cmdlet.ThrowTerminatingError(ErrorRecords.From(exception));
    }
}
