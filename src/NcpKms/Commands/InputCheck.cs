using System;
using System.Diagnostics.CodeAnalysis;
using System.Management.Automation;
using NcpKms.Core;

namespace NcpKms.Commands;

/// <summary>Runs a domain rule on one pipeline item's input before any request is made.</summary>
internal static class InputCheck
{
    /// <summary>The checked value; on a broken rule its NcpKms.&lt;Reason&gt; error is written (non-terminating) and the item is skipped.</summary>
    public static bool TryGet<T>(Cmdlet cmdlet, Func<T> check, [NotNullWhen(true)] out T? value)
        where T : class
    {
        try
        {
            value = check();
            return true;
        }
        catch (KmsException exception)
        {
            cmdlet.WriteError(ErrorRecords.From(exception));
            value = null;
            return false;
        }
    }
}
