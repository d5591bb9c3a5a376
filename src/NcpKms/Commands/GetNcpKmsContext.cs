using System.Collections.Generic;
using System.Management.Automation;
using NcpKms.Core;

namespace NcpKms.Commands;

/// <summary>Shows the context cmdlets would use now, without any network call.</summary>
[Cmdlet(VerbsCommon.Get, "NcpKmsContext")]
[OutputType(typeof(Context))]
public sealed class GetNcpKmsContext : PSCmdlet
{
    protected override void EndProcessing()
    {
        try
        {
            Context? context = SessionContext.Current;
            if (context is not null)
            {
                WriteDebug("Showing the session context of Connect-NcpKms.");
                WriteObject(context);
                return;
            }

            var tried = new List<string> { "Connect-NcpKms: no session context" };
            WriteObject(ContextResolver.ResolveImplicit(tried, WriteDebug, WriteWarning) ?? throw ContextResolver.NotFound(tried));
        }
        catch (KmsException exception)
        {
            ThrowTerminatingError(ErrorRecords.From(exception));
        }
    }
}
