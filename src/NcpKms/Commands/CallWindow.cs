using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace NcpKms.Commands;

/// <summary>
/// The calls of one pipeline, written in input order while up to <see cref="Limit"/> of them run at once
/// (-ThrottleLimit). The pipeline thread starts each call and hands it over with its writer; the window runs a
/// writer on the pipeline thread (PowerShell allows writes nowhere else) as soon as its call and every earlier
/// one are done. The window never holds more than <see cref="Limit"/> running calls, nor more than
/// <see cref="Capacity"/> calls in all (running, or done and waiting for an earlier one), so memory stays flat
/// for any number of items. Waits wake on each completion and every <c>pumpInterval</c>, when <c>pump</c> runs
/// (the cmdlet writes the core's notices then); Ctrl+C ends every wait with an OperationCanceledException.
/// </summary>
internal sealed class CallWindow
{
    private readonly Queue<(Task Call, Action Write)> _entries = new();
    // Released once per completion; a wait re-checks what it waits for, so a release it did not need costs one loop.
    private readonly SemaphoreSlim _completed = new(0);
    private readonly Action _signal;
    private readonly Action _pump;
    private readonly TimeSpan _pumpInterval;
    private readonly CancellationToken _stop;

    public CallWindow(int limit, Action pump, TimeSpan pumpInterval, CancellationToken stop)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        Limit = limit;
        _pump = pump;
        _pumpInterval = pumpInterval;
        _stop = stop;
        _signal = () => _completed.Release();
    }

    /// <summary>The highest -ThrottleLimit: more requests at once would only meet the service's throttling sooner.</summary>
    public const int MaxLimit = 64;

    /// <summary>How many calls may run at once.</summary>
    public int Limit { get; }

    /// <summary>
    /// How many calls the window holds at most: twice the limit, so a slow call delays the start of new ones only
    /// after as many later calls as may run have finished behind it.
    /// </summary>
    public int Capacity => 2 * Limit;

    /// <summary>The calls held: running, or done and not yet written.</summary>
    public int Count => _entries.Count;

    /// <summary>The calls held that have not finished.</summary>
    public int Running
    {
        get
        {
            int running = 0;
            foreach ((Task call, _) in _entries)
            {
                if (!call.IsCompleted) running++;
            }

            return running;
        }
    }

    /// <summary>
    /// Takes a started call and what to write for it, writes every call that is ready, and returns once fewer
    /// than <see cref="Limit"/> calls run and there is room for the next one. With a limit of 1 the call is
    /// written before this returns, as if it had been awaited.
    /// </summary>
    public void Add(Task call, Action write)
    {
        Notify(call);
        _entries.Enqueue((call, write));
        WriteReady();
        while (Running >= Limit || Count >= Capacity)
        {
            Wait();
            WriteReady();
        }
    }

    /// <summary>Waits for every call held and writes each in turn.</summary>
    public void Flush()
    {
        WriteReady();
        while (Count > 0)
        {
            Wait();
            WriteReady();
        }
    }

    /// <summary>Waits for one call outside the order (a lookup an item needs before its own call), writing nothing but notices.</summary>
    public void WaitFor(Task call)
    {
        Notify(call);
        while (!call.IsCompleted) Wait();
        _pump();
    }

    private void Notify(Task call)
    {
        if (!call.IsCompleted) call.GetAwaiter().UnsafeOnCompleted(_signal);
    }

    private void Wait()
    {
        if (!_completed.Wait(_pumpInterval, _stop)) _pump();
    }

    /// <summary>Writes the calls at the head that are done; an entry leaves the window before its writer runs, so a writer that throws is not run twice.</summary>
    private void WriteReady()
    {
        _pump();
        while (_entries.Count > 0 && _entries.Peek().Call.IsCompleted) _entries.Dequeue().Write();
    }
}
