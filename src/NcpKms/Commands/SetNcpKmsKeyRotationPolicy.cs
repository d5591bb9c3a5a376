using System.Management.Automation;
using NcpKms.Core;

namespace NcpKms.Commands;

/// <summary>
/// Enable/Disable Auto Rotation (POST .../enable-auto-rotation, .../disable-auto-rotation) and Update
/// Rotation Period (PUT .../rotation-period): a partial update of what was bound, one merged answer per key.
/// </summary>
[Cmdlet(VerbsCommon.Set, "NcpKmsKeyRotationPolicy", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(KeyRotationPolicy))]
public sealed class SetNcpKmsKeyRotationPolicy : KeyCmdlet
{
    [Parameter]
    public bool? AutoRotation { get; set; }

    [Parameter]
    [ValidateRange(1, 730)]
    public int? PeriodDays { get; set; }

    protected override void BeginProcessing()
    {
        this.RequireAnyBound(nameof(AutoRotation), nameof(PeriodDays));
        if (AutoRotation == false && PeriodDays is not null)
        {
            // NCP accepts a rotation period only while automatic rotation is on.
            ThrowTerminatingError(ErrorRecords.From(new KmsException("ConflictingParameters", KmsErrorKind.InvalidArgument,
                "-PeriodDays sets the period of automatic rotation, which -AutoRotation $false turns off: give one or the other. No request was sent.")));
        }
    }

    protected override void ProcessKey()
    {
        if (!ShouldChangeKey(Describe())) return;

        KeyRotationPolicy? policy = null;
        // Enabling comes first: NCP refuses a period update while automatic rotation is off.
        if (AutoRotation is bool on && !TryInvoke((connection, token) => on ? connection.EnableAutoRotationAsync(KeyTag, token) : connection.DisableAutoRotationAsync(KeyTag, token), out policy))
            return;
        if (PeriodDays is int days)
        {
            if (!TryInvoke((connection, token) => connection.UpdateRotationPeriodAsync(KeyTag, days, token), out KeyRotationPolicy? period)) return;
            policy = policy is null ? period : policy.Merge(period);
        }

        WriteObject(policy);
    }

    private string Describe() => DescribeChanges(
        AutoRotation switch { true => "turn automatic rotation on", false => "turn automatic rotation off", null => null },
        PeriodDays is int days ? $"set the rotation period to {days} days" : null);
}
