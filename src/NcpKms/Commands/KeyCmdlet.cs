using System;
using System.Diagnostics.CodeAnalysis;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using NcpKms.Core;

namespace NcpKms.Commands;

/// <summary>
/// The base of the cmdlets that act on one key per pipeline item: -KeyTag from the pipeline (by value and
/// by property name), checked before anything else. A change is confirmed first (ShouldProcess on the key
/// tag, naming the endpoint), and may be followed by a read of the new state.
/// </summary>
public abstract class KeyCmdlet : NcpKmsCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(KeyTagCompleter))]
    [AllowEmptyString]
    public string KeyTag { get; set; } = string.Empty;

    protected sealed override void ProcessRecord()
    {
        if (this.ValidateKeyTag(KeyTag, WriteErrorInOrder)) ProcessKey();
    }

    /// <summary>Handles one item whose key tag is valid.</summary>
    protected abstract void ProcessKey();

    /// <summary>
    /// ShouldProcess on the key tag; the action says what is done, where, and what follows from it.
    /// -Force skips only the prompt, never -WhatIf.
    /// </summary>
    protected bool ShouldChangeKey(string action, string? consequence = null, bool force = false) =>
        ShouldChange(KeyTag, $"{action} at {Connection.Endpoint}" + (consequence is null ? string.Empty : ": " + consequence), force);

    /// <summary>The change, confirmed first; false when skipped or failed.</summary>
    protected bool TryChange<T>(string action, string? consequence, bool force, Func<KmsConnection, CancellationToken, Task<KmsResult<T>>> change,
        [MaybeNullWhen(false)] out T value)
    {
        value = default;
        return ShouldChangeKey(action, consequence, force) && TryInvoke(change, out value);
    }

    /// <summary>
    /// The change, confirmed first on the pipeline thread, and its answer written in input order (several run at
    /// once with -ThrottleLimit); nothing is sent under -WhatIf.
    /// </summary>
    protected void Change<T>(string action, Func<KmsConnection, CancellationToken, Task<KmsResult<T>>> change, bool force = false)
    {
        if (ShouldChangeKey(action, null, force)) Send(change, value => WriteObject(value));
    }

    /// <summary>
    /// For operations whose answer is empty or partial: the change, then a read whose object is written, so
    /// the output always shows the whole state after the change. Returns the object written, or null.
    /// </summary>
    protected T? ChangeThenRead<T>(string action, string? consequence, bool force, Func<KmsConnection, CancellationToken, Task<KmsResult<bool>>> change,
        Func<KmsConnection, CancellationToken, Task<KmsResult<T>>> read)
        where T : class
    {
        if (!TryChange(action, consequence, force, change, out _) || !TryInvoke(read, out T? state)) return null;
        WriteObject(state);
        return state;
    }

    /// <summary>The ShouldProcess action of a partial update: the changes asked for (null for those not asked), joined with "and".</summary>
    protected static string DescribeChanges(params string?[] changes)
    {
        string text = string.Join(" and ", changes.Where(change => change is not null));
        return char.ToUpperInvariant(text[0]) + text[1..];
    }
}

/// <summary>
/// The base of the key cmdlets made for many keys from the pipeline, one change each (rotation, enable,
/// disable): -ThrottleLimit lets several changes run at once.
/// </summary>
public abstract class BulkKeyCmdlet : KeyCmdlet
{
    /// <summary>How many requests may be in flight at once; results are still written in input order.</summary>
    [Parameter]
    [ValidateRange(1, CallWindow.MaxLimit)]
    public int ThrottleLimit { get; set; } = 1;

    protected override int InFlightLimit => ThrottleLimit;
}
