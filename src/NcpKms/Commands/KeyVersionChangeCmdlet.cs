using System.Management.Automation;

namespace NcpKms.Commands;

/// <summary>The base of Enable-/Disable-NcpKmsKeyVersion: a key tag and a version, both from the pipeline by property name.</summary>
public abstract class KeyVersionChangeCmdlet : KeyCmdlet
{
    /// <summary>NCP keeps at most 100 versions per key (ncp-kms-api.md §6.4).</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateRange(1, 100)]
    public int Version { get; set; }
}
