using System.Management.Automation;
using NcpKms.Core;

namespace NcpKms.Commands;

/// <summary>Create Key: POST /kms/v1/keys. Writes the new key, so it pipes on by KeyTag.</summary>
[Cmdlet(VerbsCommon.New, "NcpKmsKey", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(Key))]
public sealed class NewNcpKmsKey : NcpKmsCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString]
    public string Name { get; set; } = string.Empty;

    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateSet("AES256", "RSA2048", "ECDSA")]
    public string KeyType { get; set; } = string.Empty;

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateSet(NewKeyOptions.Basic, "COMMON_HSM")]
    public string ProtectionType { get; set; } = NewKeyOptions.Basic;

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateLength(0, 100)]
    public string? Memo { get; set; }

    [Parameter]
    public SwitchParameter Convergent { get; set; }

    [Parameter]
    [ValidateRange(1, 730)]
    public int? AutoRotationPeriodDays { get; set; }

    protected override bool ChangesKeyList => true;

    protected override void ProcessRecord()
    {
        // ValidateSet ignores case: send the set's spelling.
        var options = new NewKeyOptions(Name, KeyType.ToUpperInvariant())
        {
            ProtectionType = ProtectionType.ToUpperInvariant(),
            Memo = Memo,
            IsConvergent = Convergent,
            AutoRotationPeriodDays = AutoRotationPeriodDays,
        };
        if (!this.TryCheck(() => options.Validate(nameof(Name)), Name)) return;
        if (!ShouldChange(Name, $"Create {Describe(options)} at {ResolvedContext.Endpoint}")) return;
        // There is no key tag yet: the error's target is the name, as for the checks above.
        if (TryInvoke((connection, token) => connection.CreateKeyAsync(options, token), out Key? key, Name)) WriteObject(key);
    }

    private static string Describe(NewKeyOptions options) =>
        $"{(options.IsConvergent ? "a convergent " : "an ")}{options.KeyType} key ({options.ProtectionType} protection, "
        + (options.AutoRotationPeriodDays is int days ? $"rotated automatically every {days} days)" : "no automatic rotation)");
}
