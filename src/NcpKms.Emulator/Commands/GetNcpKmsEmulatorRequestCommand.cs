using System;
using System.Management.Automation;

namespace NcpKms.Emulator.Commands;

/// <summary>Writes the emulator's request log, oldest first. Works on a stopped emulator too.</summary>
[Cmdlet(VerbsCommon.Get, "NcpKmsEmulatorRequest")]
[OutputType(typeof(EmulatorRequest))]
public sealed class GetNcpKmsEmulatorRequestCommand : PSCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ValidateNotNull]
    public KmsEmulator Emulator { get; set; } = null!;

    protected override void ProcessRecord()
    {
        foreach (EmulatorRequest entry in Emulator.Host.Log.Snapshot())
        {
            WriteObject(entry);
        }
    }
}
