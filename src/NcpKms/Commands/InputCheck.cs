using System;
using System.Management.Automation;
using NcpKms.Core;

namespace NcpKms.Commands;

/// <summary>Runs a domain rule on one pipeline item's input before any request is made.</summary>
internal static class InputCheck
{
    /// <summary>True when the rule holds; otherwise its NcpKms.&lt;Reason&gt; error is written (non-terminating) and the item is skipped.</summary>
    public static bool Passes(Cmdlet cmdlet, Action check)
    {
        try
        {
            check();
            return true;
        }
        catch (KmsException exception)
        {
            cmdlet.WriteError(ErrorRecords.From(exception));
            return false;
        }
    }
}
