using System;
using System.Management.Automation;
using NcpKms.Core;

namespace NcpKms.Commands;

/// <summary>Get Key Activity Logs: every page, streamed as it arrives.</summary>
[Cmdlet(VerbsCommon.Get, "NcpKmsKeyActivity")]
[OutputType(typeof(KeyActivity))]
public sealed class GetNcpKmsKeyActivity : PerKeyCmdlet
{
    /// <summary>The earliest time to list; the service's default is one day ago.</summary>
    [Parameter]
    public DateTime From { get; set; }

    /// <summary>The latest time to list; the service's default is now.</summary>
    [Parameter]
    public DateTime To { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Keyword { get; set; }

    /// <summary>Select-Object -First stops the listing early: later pages are not requested.</summary>
    protected override void ProcessKey()
    {
        var filter = new ActivityFilter(Bound(nameof(From), From), Bound(nameof(To), To), Keyword);
        if (!InputCheck.Passes(this, () => filter.Validate(KeyTag))) return;
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
