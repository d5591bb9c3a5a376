using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Management.Automation;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using NcpKms.Core;

namespace NcpKms.Commands;

/// <summary>
/// The shared base of the KMS cmdlets: the -Context parameter, context and connection resolution (once per
/// pipeline, by account or by token), and errors written as NcpKms ErrorRecords.
/// </summary>
public abstract class NcpKmsCmdlet : KmsCallCmdlet
{
    private Context? _resolved;
    private KmsConnection? _connection;

    /// <summary>The connection to use instead of the session's (from Connect-NcpKms -PassThru or Get-NcpKmsContext).</summary>
    [Parameter]
    public Context? Context { get; set; }

    /// <summary>The context in effect, resolved on first use; a configuration that resolves to nothing ends the pipeline.</summary>
    protected Context ResolvedContext => _resolved ??= ResolveContext();

    /// <summary>The connection calls go through, resolved once per pipeline.</summary>
    protected KmsConnection Connection => _connection ??= ResolveConnection();

    /// <summary>The account connection of the context; cmdlets that also take tokens resolve differently.</summary>
    protected virtual KmsConnection ResolveConnection() => ResolvedContext.Connection;

    /// <summary>
    /// The connection of a cmdlet that takes a KMS token. Order: -Token; -Context; the Connect-NcpKms session;
    /// NCLOUD_KMS_TOKEN; then the environment variables and the configure file. A <paramref name="required"/>
    /// token is taken from NCLOUD_KMS_TOKEN even with a context, and without one the pipeline ends with
    /// NcpKms.TokenNotFound. A token connection uses the endpoint of -Context or the session when there is one,
    /// else NCLOUD_KMS_ENDPOINT, else the public global host.
    /// </summary>
    protected KmsConnection TokenConnection(SecureString? parameter, KmsTokenKind kind, bool required) => Terminating(() =>
    {
        KmsToken? token = TokenInput.FromParameter(parameter, kind)
            ?? (required || (Context is null && SessionContext.Current is null) ? TokenInput.FromEnvironment(kind) : null);
        if (token is null) return required ? throw TokenNotFound(kind) : ResolvedContext.Connection;

        KmsConnection? account = (Context ?? SessionContext.Current)?.Connection;
        KmsEndpoint endpoint = account?.Endpoint ?? ContextResolver.ImplicitEndpoint();
        WriteDebug($"Authentication: {token.Description}; endpoint {endpoint} (from {endpoint.Source}).");
        return new KmsConnection(token, endpoint) { Retry = account?.Retry ?? ContextResolver.ImplicitRetryPolicy() };
    });

    /// <summary>True for the cmdlets that change what -KeyTag completion shows: a key's name, its status, or whether it exists.</summary>
    protected virtual bool ChangesKeyList => false;

    /// <summary>
    /// Writes what is still held back or in flight, in order; then, after a change of the key list, the next Tab
    /// on -KeyTag lists the keys again rather than show stale names or states.
    /// </summary>
    protected override void EndProcessing()
    {
        SendPending();
        WriteQueued();
        if (ChangesKeyList) KeyListCache.Clear();
    }

    /// <summary>Sends what the cmdlet holds back to send together (a batch); called before anything else takes its place in the order, and at the end.</summary>
    protected virtual void SendPending()
    {
    }

    /// <summary>
    /// ShouldProcess for a resolved target. With -Force the prompt is skipped, but -WhatIf (or
    /// $WhatIfPreference) still wins: then ShouldProcess only reports and nothing is sent.
    /// </summary>
    protected bool ShouldChange(string target, string action, bool force = false)
    {
        if (force && !IsWhatIf())
        {
            WriteVerbose($"-Force: {action} on \"{target}\" without confirmation.");
            return true;
        }

        return ShouldProcess(target, action);
    }

    /// <summary>
    /// Sends one call for the current pipeline item. <paramref name="write"/> gets its answer on the pipeline thread,
    /// in input order, while up to -ThrottleLimit calls run; a failure is the item's non-terminating error (target:
    /// <paramref name="target"/>, else the key tag).
    /// </summary>
    protected void Send<T>(Func<KmsConnection, CancellationToken, Task<KmsResult<T>>> call, Action<T> write, object? target = null)
    {
        KmsConnection connection = Connection;
        Task<KmsResult<T>> sent = Start(() => call(connection, StopToken));
        Enqueue(sent, () => this.TryCheck(() => write(Answer(sent)), target));
    }

    /// <summary>The value of a finished call, its request reported on Verbose; a failure throws the KmsException.</summary>
    protected T Answer<T>(Task<KmsResult<T>> call)
    {
        KmsResult<T> result = Outcome(call);
        Report(result);
        return result.Value;
    }

    /// <summary>
    /// Writes an item's error after the results of the items before it, which may still be in flight or held
    /// back: an error found by the checks on the pipeline thread keeps its place in the order.
    /// </summary>
    protected void WriteErrorInOrder(ErrorRecord error)
    {
        SendPending();
        Enqueue(Task.CompletedTask, () => WriteError(error));
    }

    /// <summary>Runs one call; on failure writes a non-terminating error (target: <paramref name="target"/>, else the key tag) and returns false.</summary>
    protected bool TryInvoke<T>(Func<KmsConnection, CancellationToken, Task<KmsResult<T>>> call, [MaybeNullWhen(false)] out T value, object? target = null) =>
        this.TryGet(() => Invoke(Connection, call), out value, target);

    /// <summary>
    /// Streams a multi-call operation (pages): each result is written to Verbose and yielded as it arrives;
    /// a failure writes a non-terminating error and ends the stream.
    /// </summary>
    protected IEnumerable<T> TryInvokeEach<T>(Func<KmsConnection, CancellationToken, IAsyncEnumerable<KmsResult<T>>> call)
    {
        IAsyncEnumerator<KmsResult<T>> results = call(Connection, StopToken).GetAsyncEnumerator(StopToken);
        try
        {
            while (TryMoveNext(results, out T? value)) yield return value;
        }
        finally
        {
            results.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private bool TryMoveNext<T>(IAsyncEnumerator<KmsResult<T>> results, [MaybeNullWhen(false)] out T value)
    {
        value = default;
        if (!this.TryGet(() => Await(() => results.MoveNextAsync().AsTask()), out bool moved) || !moved) return false;
        Report(results.Current);
        value = results.Current.Value;
        return true;
    }

    private Context ResolveContext() => Terminating(() => ContextResolver.Resolve(Context, WriteDebug, WriteWarning));

    private KmsException TokenNotFound(KmsTokenKind kind) =>
        new("TokenNotFound", KmsErrorKind.Authentication,
            $"{MyInvocation.MyCommand.Name} needs a KMS {kind.ToString().ToLowerInvariant()} token: give -Token, or set {KmsToken.EnvironmentVariable}.");

    /// <summary>Runs a resolution step; a KmsException from it is configuration that fails every item, so it ends the pipeline.</summary>
    private T Terminating<T>(Func<T> resolve)
    {
        try
        {
            return resolve();
        }
        catch (KmsException exception)
        {
            ThrowTerminatingError(ErrorRecords.From(exception));
            throw;
        }
    }

    private bool IsWhatIf() =>
        MyInvocation.BoundParameters.TryGetValue("WhatIf", out object? whatIf)
            ? ((SwitchParameter)whatIf).IsPresent
            : LanguagePrimitives.IsTrue(GetVariableValue("WhatIfPreference"));
}

/// <summary>
/// Calls on a connection that Ctrl+C can abort, each reported on the Verbose stream. Calls go through one
/// <see cref="CallWindow"/> per pipeline: awaited one by one, or, for the cmdlets that take -ThrottleLimit,
/// several at once with their results written in input order.
/// </summary>
public abstract class KmsCallCmdlet : PSCmdlet, IDisposable
{
    /// <summary>How often a waiting pipeline thread writes the notices of the calls it waits for.</summary>
    private static readonly TimeSpan NoticeInterval = TimeSpan.FromMilliseconds(100);

    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentQueue<KmsNotice> _notices = new();
    private readonly Action<KmsNotice> _queueNotice;
    private CallWindow? _window;
    private bool? _verbose;

    protected KmsCallCmdlet() => _queueNotice = _notices.Enqueue;

    protected CancellationToken StopToken => _stopping.Token;

    /// <summary>How many calls may be in flight at once: 1, unless the cmdlet takes -ThrottleLimit.</summary>
    protected virtual int InFlightLimit => 1;

    /// <summary>
    /// Whether Verbose output is shown, decided once per pipeline the way PowerShell decides it (-Verbose, else
    /// -Debug, else $VerbosePreference), so that a bulk run with Verbose off formats no line only to drop it.
    /// </summary>
    protected bool VerboseEnabled => _verbose ??= VerbosePreference() is not (ActionPreference.SilentlyContinue or ActionPreference.Ignore);

    private CallWindow Window => _window ??= new CallWindow(InFlightLimit, WriteNotices, NoticeInterval, StopToken);

    protected override void StopProcessing() => _stopping.Cancel();

    /// <summary>Cancels what is still in flight (a terminating error ended the pipeline early): no call outlives its command.</summary>
    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Runs one call and returns its value; a failure throws the KmsException.</summary>
    protected T Invoke<T>(KmsConnection connection, Func<KmsConnection, CancellationToken, Task<KmsResult<T>>> call)
    {
        KmsResult<T> result = Await(() => call(connection, StopToken));
        Report(result);
        return result.Value;
    }

    /// <summary>
    /// Starts a call and waits for it on the pipeline thread, writing the core's notices (retries on Verbose,
    /// a clock correction as a Warning) as they come; Ctrl+C cancels the call and stops the pipeline.
    /// </summary>
    protected T Await<T>(Func<Task<T>> start)
    {
        Task<T> call = Start(start);
        Stoppable(() => Window.WaitFor(call));
        return Outcome(call);
    }

    /// <summary>Starts a call whose notices this cmdlet writes: the core finds the sink through the call's async context.</summary>
    protected Task<T> Start<T>(Func<Task<T>> start)
    {
        using (KmsNotices.Capture(_queueNotice)) return start();
    }

    /// <summary>The outcome of a finished call: its value, or its exception; a call that Ctrl+C cancelled stops the pipeline.</summary>
    protected T Outcome<T>(Task<T> call)
    {
        try
        {
            return call.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }

    /// <summary>
    /// Hands a started call to the window with what to write for it; <paramref name="write"/> runs on the
    /// pipeline thread once the call and every call handed over before it are done. Returns when there is room
    /// for the next call, so with no -ThrottleLimit the call is written before this returns.
    /// </summary>
    protected void Enqueue(Task call, Action write) => Stoppable(() => Window.Add(call, write));

    /// <summary>Waits for every call in flight and writes each, in order.</summary>
    protected void WriteQueued()
    {
        if (_window is not null) Stoppable(_window.Flush);
    }

    /// <summary>One Verbose line per request: what was sent, the status, the time and the request id; never a body.</summary>
    protected void Report<T>(KmsResult<T> result)
    {
        if (!VerboseEnabled) return;
        WriteVerbose($"{result.RequestLine}: HTTP {result.StatusCode} in {result.Elapsed.TotalMilliseconds:0} ms"
            + (result.RequestId is null ? "." : $", request id {result.RequestId}."));
    }

    private void Stoppable(Action wait)
    {
        try
        {
            wait();
        }
        catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }

    private void WriteNotices()
    {
        while (_notices.TryDequeue(out KmsNotice notice))
        {
            if (notice.IsWarning) WriteWarning(notice.Text);
            else WriteVerbose(notice.Text);
        }
    }

    private ActionPreference VerbosePreference()
    {
        if (MyInvocation.BoundParameters.TryGetValue("Verbose", out object? verbose))
            return ((SwitchParameter)verbose).IsPresent ? ActionPreference.Continue : ActionPreference.SilentlyContinue;
        if (MyInvocation.BoundParameters.TryGetValue("Debug", out object? debug) && ((SwitchParameter)debug).IsPresent) return ActionPreference.Continue;
        return GetVariableValue("VerbosePreference") is ActionPreference preference ? preference : ActionPreference.SilentlyContinue;
    }
}
