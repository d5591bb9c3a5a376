using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using NcpKms.Emulator.State;

namespace NcpKms.Emulator.Commands;

/// <summary>Seeds keys straight into an emulator's keystore, without HTTP and without a request-log entry.</summary>
[Cmdlet(VerbsCommon.Add, "NcpKmsEmulatorKey")]
[OutputType(typeof(EmulatorKey))]
public sealed class AddNcpKmsEmulatorKeyCommand : PSCmdlet
{
    /// <summary>Numbered names append four digits, so a prefix may use 11 of the 15 characters.</summary>
    private const int MaxPrefixLength = 11;

    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    [ValidateNotNull]
    public KmsEmulator Emulator { get; set; } = null!;

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    [Parameter]
    [ValidateSet(KeyRules.Aes256, KeyRules.Rsa2048, KeyRules.Ecdsa)]
    public string KeyType { get; set; } = KeyRules.Aes256;

    [Parameter]
    [ValidateSet(KeyRules.Enable, KeyRules.Disable, KeyRules.Revoke)]
    public string Status { get; set; } = KeyRules.Enable;

    [Parameter]
    [ValidateRange(1, KeyRules.MaxVersions)]
    public int VersionCount { get; set; } = 1;

    [Parameter]
    [ValidateRange(1, 10_000)]
    public int Count { get; set; } = 1;

    [Parameter]
    [ValidateSet(KeyRules.Basic, KeyRules.CommonHsm)]
    public string ProtectionType { get; set; } = KeyRules.Basic;

    [Parameter]
    [ValidateNotNull]
    [ValidateLength(0, KeyRules.MaxMemoLength)]
    public string Memo { get; set; } = string.Empty;

    [Parameter]
    public SwitchParameter Convergent { get; set; }

    /// <summary>Turns auto rotation on with this period; auto rotation stays off when omitted.</summary>
    [Parameter]
    [ValidateRange(KeyRules.MinRotationPeriod, KeyRules.MaxRotationPeriod)]
    public int AutoRotationPeriodDays { get; set; }

    protected override void BeginProcessing()
    {
        ValidateName();
        if (Convergent && !KeyType.Equals(KeyRules.Aes256, StringComparison.OrdinalIgnoreCase))
        {
            ThrowTerminatingError(CmdletErrors.InvalidArgument("InvalidConvergent",
                "Convergent: only an AES256 key can be convergent; got -KeyType " + KeyType + ".", KeyType));
        }
    }

    protected override void ProcessRecord()
    {
        if (!Emulator.IsRunning)
        {
            ThrowTerminatingError(CmdletErrors.Stopped(Emulator));
        }

        NewKeySpec[] specs = BuildSpecs();
        if (!Emulator.Host.Store.TryAdd(specs, Emulator.Host.Clock.NowMilliseconds, out IReadOnlyList<KmsKey> added, out string? conflict))
        {
            ThrowTerminatingError(CmdletErrors.InvalidArgument("KeyNameConflict",
                "Name: a key named '" + conflict + "' already exists in the emulator at " + Emulator.Endpoint + "; key names must be unique.", conflict));
        }

        if (CmdletErrors.SaveState(Emulator) is ErrorRecord error)
        {
            WriteError(error);
        }

        foreach (KmsKey key in added)
        {
            WriteObject(EmulatorKey.From(key));
        }
    }

    private void ValidateName()
    {
        if (Name is null)
        {
            return;
        }

        if (Count > 1)
        {
            if (Name.Length > MaxPrefixLength || !KeyRules.IsValidKeyName(Name + "0001"))
            {
                ThrowTerminatingError(CmdletErrors.InvalidArgument("InvalidName",
                    "Name: with -Count greater than 1 the name is a prefix for Name0001, Name0002, ...; it must be 1-11 characters from A-Z, a-z, 0-9, '_' and '-', starting with a letter. Got '" + Name + "'.", Name));
            }
        }
        else if (!KeyRules.IsValidKeyName(Name))
        {
            ThrowTerminatingError(CmdletErrors.InvalidArgument("InvalidName",
                "Name: a key name is " + KeyRules.KeyNameRule + ". Got '" + Name + "'.", Name));
        }
    }

    private NewKeySpec[] BuildSpecs()
    {
        // ValidateSet ignores case, so normalise to the wire spelling.
        var template = new NewKeySpec
        {
            KeyName = Count == 1 ? Name : null,
            NamePrefix = Name ?? "key",
            KeyType = KeyType.ToUpperInvariant(),
            Status = Status.ToUpperInvariant(),
            VersionCount = VersionCount,
            ProtectionType = ProtectionType.ToUpperInvariant(),
            Memo = Memo,
            IsConvergent = Convergent,
            IsAutoRotation = AutoRotationPeriodDays > 0,
            RotationPeriod = AutoRotationPeriodDays > 0 ? AutoRotationPeriodDays : KeyRules.DefaultRotationPeriod,
        };
        return Enumerable.Repeat(template, Count).ToArray();
    }
}
