using System;
using System.Management.Automation;
using System.Threading;
using NcpKms.Core;

namespace NcpKms.Commands;

/// <summary>Get Key Activity Logs: every page, streamed as it arrives.</summary>
[Cmdlet(VerbsCommon.Get, "NcpKmsKeyActivity")]
[OutputType(typeof(KeyActivity))]
public sealed class GetNcpKmsKeyActivity : KeyCmdlet
{
    /// <summary>The earliest time to list; one day before the end of the window when not given.</summary>
    [Parameter]
    public DateTime From { get; set; }

    /// <summary>The latest time to list; the moment the listing starts when not given.</summary>
    [Parameter]
    public DateTime To { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Keyword { get; set; }

    protected override void ProcessKey()
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        if (!this.TryGet<ActivityFilter>(() => ActivityFilter.Create(Bound(nameof(From), From), Bound(nameof(To), To), Keyword, now, KeyTag),
                out ActivityFilter? filter)) return;
        if (!MyInvocation.BoundParameters.ContainsKey(nameof(To))) WaitPast(now);
        WritePages(filter);
    }

    /// <summary>
    /// The window without -To ends at <paramref name="end"/>, inclusive. Every call on the key is logged, the page
    /// requests too: once the end's millisecond has passed, no record logged while the cmdlet pages can fall in
    /// the window and shift a page. That takes at most a millisecond.
    /// </summary>
    private static void WaitPast(DateTimeOffset end)
    {
        long last = end.ToUnixTimeMilliseconds();
        while (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() <= last) Thread.Sleep(1);
    }

    /// <summary>Streams every page as it arrives: Select-Object -First stops the listing early, and later pages are not requested.</summary>
    private void WritePages(ActivityFilter filter)
    {
        for (int pageNo = 1; ; pageNo++)
        {
            int page = pageNo;
            if (!TryInvoke((connection, token) => connection.GetActivityPageAsync(KeyTag, filter, page, KmsPaging.MaxPageSize, token), out ActivityPage? activities)) return;
            foreach (KeyActivity activity in activities.Activities) WriteObject(activity);
            if (activities.IsLast) return;
        }
    }

    private DateTime? Bound(string name, DateTime value) => MyInvocation.BoundParameters.ContainsKey(name) ? value : null;
}
