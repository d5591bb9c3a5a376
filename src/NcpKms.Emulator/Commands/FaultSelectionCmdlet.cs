using System;
using System.Management.Automation;

namespace NcpKms.Emulator.Commands;

/// <summary>The parameters of the cmdlets that read and clear faults: the emulator, and which kinds of fault (all by default).</summary>
public abstract class FaultSelectionCmdlet : PSCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ValidateNotNull]
    public KmsEmulator Emulator { get; set; } = null!;

    [Parameter]
    [ValidateNotNullOrEmpty]
    public EmulatorFaultKind[]? Kind { get; set; }

    /// <summary>The kinds given with -Kind, or every kind.</summary>
    protected EmulatorFaultKind[] SelectedKinds => Kind ?? Enum.GetValues<EmulatorFaultKind>();
}
