using System;
using System.Linq;
using System.Management.Automation;
using NcpKms.Core;

namespace NcpKms.Commands;

/// <summary>Checks of cmdlet input made before any request, reported as NcpKms ErrorRecords.</summary>
internal static class InputChecks
{
    /// <summary>Runs a domain-rule check; a KmsException from it becomes a non-terminating error for this item.</summary>
    public static bool TryCheck(this Cmdlet cmdlet, Action check, object? target)
    {
        try
        {
            check();
            return true;
        }
        catch (KmsException exception)
        {
            cmdlet.WriteError(ErrorRecords.From(exception, target));
            return false;
        }
    }

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
