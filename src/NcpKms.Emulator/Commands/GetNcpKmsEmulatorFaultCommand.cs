using System;
using System.Linq;
using System.Management.Automation;
using NcpKms.Emulator.Faults;

namespace NcpKms.Emulator.Commands;

/// <summary>Writes the faults in effect on an emulator, with what is left of their counts. Works on a stopped emulator too.</summary>
[Cmdlet(VerbsCommon.Get, "NcpKmsEmulatorFault")]
[OutputType(typeof(EmulatorFault))]
public sealed class GetNcpKmsEmulatorFaultCommand : FaultSelectionCmdlet
{
    protected override void ProcessRecord()
    {
        foreach (FaultRule rule in Emulator.Host.Faults.List().Where(rule => SelectedKinds.Contains(rule.Kind)))
        {
            WriteObject(rule.Describe());
        }
    }
}
