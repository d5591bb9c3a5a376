using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using NcpKms.Commands;
using Xunit;

namespace NcpKms.Tests;

public sealed class CallWindowTests
{
    private static readonly TimeSpan PumpInterval = TimeSpan.FromMilliseconds(10);

    private static CallWindow Window(int limit, CancellationToken stop = default, Action? pump = null) =>
        new(limit, pump ?? (() => { }), PumpInterval, stop);

    [Fact]
    public void Writes_in_input_order_when_calls_finish_in_reverse()
    {
        var window = Window(4);
        var written = new List<int>();
        var finished = new List<int>();

        foreach ((int item, int delay) in new[] { (0, 120), (1, 80), (2, 40), (3, 5) })
        {
            window.Add(Task.Delay(delay).ContinueWith(_ => { lock (finished) finished.Add(item); }), () => written.Add(item));
        }

        window.Flush();

        Assert.Equal([3, 2, 1, 0], finished);
        Assert.Equal([0, 1, 2, 3], written);
        Assert.Equal(0, window.Count);
    }

    [Fact]
    public void Never_runs_more_calls_than_the_limit_nor_holds_more_than_its_capacity()
    {
        const int limit = 3;
        var window = Window(limit);
        var started = new List<Task>();
        var written = new List<int>();
        var random = new Random(5);

        for (int item = 0; item < 200; item++)
        {
            int running = started.Count(call => !call.IsCompleted);
            Assert.True(running < limit, $"{running} calls still ran when item {item} was started");
            Task call = Task.Delay(random.Next(0, 4));
            started.Add(call);
            int index = item;
            window.Add(call, () => written.Add(index));
            Assert.True(window.Running < limit && window.Count < window.Capacity, $"Add returned with {window.Running} running and {window.Count} held");
        }

        window.Flush();

        Assert.Equal(Enumerable.Range(0, 200), written);
    }

    [Fact]
    public void A_call_that_never_finishes_holds_back_no_more_than_the_capacity()
    {
        using var stop = new CancellationTokenSource();
        var window = Window(2, stop.Token);
        var written = new List<int>();
        window.Add(new TaskCompletionSource().Task, () => written.Add(0));

        stop.CancelAfter(TimeSpan.FromMilliseconds(200));
        Assert.Throws<OperationCanceledException>(() =>
        {
            for (int item = 1; item < 1000; item++)
            {
                int index = item;
                window.Add(Task.CompletedTask, () => written.Add(index));
            }
        });

        Assert.Equal(window.Capacity, window.Count);
        Assert.Empty(written);
    }

    [Fact]
    public void With_a_limit_of_one_each_call_is_written_before_Add_returns()
    {
        var window = Window(1);
        var written = new List<int>();

        window.Add(Task.Delay(30), () => written.Add(1));

        Assert.Equal([1], written);
        Assert.Equal(0, window.Count);
    }

    [Fact]
    public void Stop_ends_a_wait_at_once_and_writes_nothing()
    {
        using var stop = new CancellationTokenSource();
        var window = Window(1, stop.Token);
        bool written = false;
        var clock = Stopwatch.StartNew();

        stop.CancelAfter(TimeSpan.FromMilliseconds(50));
        Assert.Throws<OperationCanceledException>(() => window.Add(new TaskCompletionSource().Task, () => written = true));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"the wait ended after {clock.Elapsed}");
        Assert.False(written);
    }

    [Fact]
    public void Pumps_notices_while_it_waits()
    {
        int pumped = 0;
        var window = Window(1, pump: () => pumped++);

        window.Add(Task.Delay(100), () => { });

        Assert.True(pumped >= 3, $"pumped {pumped} times in 100 ms");
    }

    [Fact]
    public void WaitFor_waits_for_a_call_outside_the_order_and_writes_none_of_the_window()
    {
        var window = Window(2);
        var pending = new TaskCompletionSource();
        bool written = false;
        window.Add(pending.Task, () => written = true);

        Task lookup = Task.Delay(30);
        window.WaitFor(lookup);

        Assert.True(lookup.IsCompleted);
        Assert.False(written);
        pending.SetResult();
        window.Flush();
        Assert.True(written);
    }
}
