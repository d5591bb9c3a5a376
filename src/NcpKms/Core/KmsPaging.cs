using System.Text.Json;

namespace NcpKms.Core;

/// <summary>When a paged listing (Get Key List, Get Key Activity Logs) has reached its last page.</summary>
public static class KmsPaging
{
    /// <summary>The largest page the listing operations serve: the fewest round trips for a full listing.</summary>
    public const int MaxPageSize = 200;

    /// <summary>
    /// The docs place the paging fields inside data or at the top level (§11 #3): look in both; without
    /// them, a short page is the last. An empty page always ends the listing.
    /// </summary>
    public static bool IsLastPage(JsonElement data, JsonElement root, int itemCount, int pageSize)
    {
        int? current = JsonFields.Int(data, "currentPageNo") ?? JsonFields.Int(root, "currentPageNo");
        int? total = JsonFields.Int(data, "totalPageNo") ?? JsonFields.Int(root, "totalPageNo");
        return itemCount == 0 || (current is not null && total is not null ? current >= total : itemCount < pageSize);
    }
}
