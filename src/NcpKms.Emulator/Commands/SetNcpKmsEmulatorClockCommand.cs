using System;
using System.Management.Automation;
using NcpKms.Emulator.Kms;

namespace NcpKms.Emulator.Commands;

/// <summary>
/// Moves a running emulator's clock, so a test can let tokens expire or a REVOKE key reach its destroy date
/// without waiting. Like Set-Date, it writes the resulting time.
/// </summary>
[Cmdlet(VerbsCommon.Set, "NcpKmsEmulatorClock", DefaultParameterSetName = AdvanceSet)]
[OutputType(typeof(EmulatorTime))]
public sealed class SetNcpKmsEmulatorClockCommand : PSCmdlet
{
    private const string AdvanceSet = "Advance";
    private const string SkewSet = "Skew";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ValidateNotNull]
    public KmsEmulator Emulator { get; set; } = null!;

    [Parameter(Mandatory = true, ParameterSetName = AdvanceSet)]
    public TimeSpan Advance { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = SkewSet)]
    public TimeSpan Skew { get; set; }

    protected override void ProcessRecord()
    {
        if (!Emulator.IsRunning)
        {
            ThrowTerminatingError(CmdletErrors.Stopped(Emulator));
        }

        EmulatorClock clock = Emulator.Host.Clock;
        bool advancing = ParameterSetName == AdvanceSet;
        TimeSpan skew = advancing ? clock.Skew + Advance : Skew;
        if (skew.Duration() > EmulatorClock.MaxSkew)
        {
            ThrowTerminatingError(CmdletErrors.InvalidClockSkew(advancing ? "Advance" : "Skew", skew));
        }

        clock.Skew = skew;
        WriteObject(new EmulatorTime(Emulator.Endpoint, skew, clock.UtcNow));
    }
}
