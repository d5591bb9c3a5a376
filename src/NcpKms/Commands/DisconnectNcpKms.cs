using System.Management.Automation;

namespace NcpKms.Commands;

/// <summary>Clears the session context set by Connect-NcpKms.</summary>
[Cmdlet(VerbsCommunications.Disconnect, "NcpKms")]
[OutputType(typeof(void))]
public sealed class DisconnectNcpKms : PSCmdlet
{
    protected override void EndProcessing()
    {
        Context? previous = SessionContext.Current;
        SessionContext.Current = null;
        WriteVerbose(previous is null
            ? "There was no session context to clear."
            : $"Cleared the session context {previous}; cmdlets now fall back to environment variables and ~/.ncloud/configure.");
    }
}
