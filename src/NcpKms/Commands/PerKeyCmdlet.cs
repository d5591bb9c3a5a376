using System;
using System.Diagnostics.CodeAnalysis;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using NcpKms.Core;

namespace NcpKms.Commands;

/// <summary>
/// The base of the account-authenticated cmdlets that act on one key per pipeline item: -KeyTag (checked
/// before anything else), and a change that is confirmed first and may be followed by a read of the new state.
/// </summary>
public abstract class PerKeyCmdlet : NcpKmsCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(KeyTagCompleter))]
    [AllowEmptyString]
    public string KeyTag { get; set; } = string.Empty;

    protected sealed override void ProcessRecord()
    {
        if (ValidateKeyTag(KeyTag)) ProcessKey();
    }

    /// <summary>Handles one item whose key tag is valid.</summary>
    protected abstract void ProcessKey();

    /// <summary>The ShouldProcess action: what is done, where, and what follows from it.</summary>
    internal static string DescribeChange(string action, KmsEndpoint endpoint, string? consequence) =>
        $"{action} at {endpoint}" + (consequence is null ? string.Empty : ": " + consequence);

    /// <summary>ShouldChange on the key tag, naming the endpoint, then the call; false when skipped or failed.</summary>
    protected bool TryChange<T>(string action, string? consequence, bool force, Func<KmsConnection, CancellationToken, Task<KmsResult<T>>> change,
        [MaybeNullWhen(false)] out T value)
    {
        value = default;
        return ShouldChange(KeyTag, DescribeChange(action, Connection.Endpoint, consequence), force) && TryInvoke(change, out value);
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
}
