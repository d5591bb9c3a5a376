using System;
using System.Linq;
using System.Management.Automation;

namespace NcpKms.Emulator.Commands;

/// <summary>Stops emulators: the ones given, or every one started in this process.</summary>
[Cmdlet(VerbsLifecycle.Stop, "NcpKmsEmulator")]
[OutputType(typeof(KmsEmulator))]
public sealed class StopNcpKmsEmulatorCommand : PSCmdlet
{
    [Parameter(Position = 0, ValueFromPipeline = true)]
    [ValidateNotNullOrEmpty]
    public KmsEmulator[]? Emulator { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        // Runs once without pipeline input (stop all), once per piped emulator, and never for an empty
        // pipeline, so '@() | Stop-NcpKmsEmulator' stops nothing rather than everything.
        foreach (KmsEmulator emulator in Emulator ?? EmulatorRegistry.All())
        {
            WriteVerbose("Stopping the emulator at " + emulator.Endpoint);
            EmulatorRegistry.Stop(emulator);
            // Once no request is in flight, the file gets the last changes (and reports a write that kept failing).
            if (CmdletErrors.SaveState(emulator) is ErrorRecord error)
            {
                WriteError(error);
            }

            if (PassThru)
            {
                WriteObject(emulator);
            }
        }
    }
}
