using System.Management.Automation;
using NcpKms.Core;

namespace NcpKms.Commands;

/// <summary>
/// Update Key Name (PUT /kms/v1/keys/{keyTag}/name) and/or Update Memo (PUT .../memo): only what was bound
/// is sent. -PassThru then reads the key (Get Key Info).
/// </summary>
[Cmdlet(VerbsCommon.Set, "NcpKmsKey", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(Key))]
public sealed class SetNcpKmsKey : KeyCmdlet
{
    /// <summary>The new key name; checked against the key name rule before any request.</summary>
    [Parameter]
    [AllowEmptyString]
    public string? Name { get; set; }

    /// <summary>The new memo; an empty string clears it.</summary>
    [Parameter]
    [ValidateLength(0, 100)]
    public string? Memo { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    private bool HasName => MyInvocation.BoundParameters.ContainsKey(nameof(Name));

    private bool HasMemo => MyInvocation.BoundParameters.ContainsKey(nameof(Memo));

    /// <summary>A new name shows in -KeyTag completion; a memo does not.</summary>
    protected override bool ChangesKeyList => HasName;

    protected override void BeginProcessing() => this.RequireAnyBound(nameof(Name), nameof(Memo));

    protected override void ProcessKey()
    {
        if (HasName && !this.TryCheck(() => Core.KeyName.Validate(Name, nameof(Name)), KeyTag)) return;

        if (!ShouldChangeKey(Describe())) return;
        // The memo follows the name: a failed rename leaves the memo alone.
        if (HasName && !TryInvoke((connection, token) => connection.UpdateKeyNameAsync(KeyTag, Name!, token), out _)) return;
        if (HasMemo && !TryInvoke((connection, token) => connection.UpdateMemoAsync(KeyTag, Memo ?? string.Empty, token), out _)) return;
        if (PassThru && TryInvoke((connection, token) => connection.GetKeyAsync(KeyTag, token), out Key? key)) WriteObject(key);
    }

    private string Describe() => DescribeChanges(
        HasName ? $"rename the key to '{Name}'" : null,
        !HasMemo ? null : string.IsNullOrEmpty(Memo) ? "clear its memo" : $"set its memo to '{Memo}'");
}
