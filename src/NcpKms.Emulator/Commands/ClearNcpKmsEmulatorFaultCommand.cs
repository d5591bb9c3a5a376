using System;
using System.Management.Automation;
using NcpKms.Emulator.Faults;

namespace NcpKms.Emulator.Commands;

/// <summary>Removes faults from an emulator: the kinds given, or all of them. Works on a stopped emulator too.</summary>
[Cmdlet(VerbsCommon.Clear, "NcpKmsEmulatorFault")]
[OutputType(typeof(EmulatorFault))]
public sealed class ClearNcpKmsEmulatorFaultCommand : FaultSelectionCmdlet
{
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        foreach (FaultRule rule in Emulator.Host.Faults.Clear(SelectedKinds))
        {
            EmulatorFault fault = rule.Describe();
            WriteVerbose("Cleared from the emulator at " + Emulator.Endpoint + ": " + fault.Description);
            if (PassThru)
            {
                WriteObject(fault);
            }
        }
    }
}
