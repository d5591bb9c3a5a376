using System.Management.Automation;
using NcpKms.Core;

namespace NcpKms.Commands;

/// <summary>Migrate Key: POST /kms/v1/keys/{keyTag}/migrate (a global key becomes a region-isolated key).</summary>
[Cmdlet(VerbsCommon.Move, "NcpKmsKey", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(KeyMigration))]
public sealed class MoveNcpKmsKey : KeyCmdlet
{
    /// <summary>
    /// KR is NCP's documented value. JP is sent as written: the documented example covers only Korea, and
    /// whether NCP expects "JP" or "JPN" for Japan is unconfirmed (ncp-kms-api.md §11 #11).
    /// </summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateSet("KR", "JP")]
    public string TargetRegion { get; set; } = string.Empty;

    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>The global key is deleted and a key with another tag takes its place.</summary>
    protected override bool ChangesKeyList => true;

    protected override void ProcessKey()
    {
        // ValidateSet ignores case: send the set's spelling.
        string region = TargetRegion.ToUpperInvariant();
        Change($"Migrate the global key to a key isolated in region {region} (the global key is deleted)",
            (connection, token) => connection.MigrateKeyAsync(KeyTag, region, token), Force);
    }
}
