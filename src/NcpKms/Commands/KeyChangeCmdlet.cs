using System;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using NcpKms.Core;

namespace NcpKms.Commands;

/// <summary>
/// The base of the cmdlets that change one key per pipeline item: -KeyTag from the pipeline (by value and
/// by property name), checked before any request, then ShouldProcess on the key tag, then the call.
/// </summary>
public abstract class KeyChangeCmdlet : NcpKmsCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(KeyTagCompleter))]
    [AllowEmptyString]
    public string KeyTag { get; set; } = string.Empty;

    /// <summary>Keys changed: the next Tab on -KeyTag lists them again rather than show stale names or states.</summary>
    protected override void EndProcessing() => KeyListCache.Clear();

    /// <summary>ShouldProcess on the key tag; the action names the endpoint. -Force skips only the prompt, never -WhatIf.</summary>
    protected bool ShouldChangeKey(string action, bool force = false) =>
        ShouldChange(KeyTag, $"{action} at {ResolvedContext.Endpoint}", force);

    /// <summary>Checks the key tag, asks ShouldProcess, runs the call and writes its answer; nothing is sent for a bad tag or under -WhatIf.</summary>
    protected void Change<T>(string action, Func<KmsConnection, CancellationToken, Task<KmsResult<T>>> call, bool force = false)
    {
        if (ValidateKeyTag(KeyTag) && ShouldChangeKey(action, force) && TryInvoke(call, out T? value)) WriteObject(value);
    }

    /// <summary>The ShouldProcess action of a partial update: the changes asked for (null for those not asked), joined with "and".</summary>
    protected static string DescribeChanges(params string?[] changes)
    {
        string text = string.Join(" and ", changes.Where(change => change is not null));
        return char.ToUpperInvariant(text[0]) + text[1..];
    }
}
