namespace NcpKms.Commands;

/// <summary>
/// The context set by Connect-NcpKms. Process-wide on purpose: ForEach-Object -Parallel runspaces and
/// thread jobs see the same connection without connecting again.
/// </summary>
internal static class SessionContext
{
    private static volatile Context? _current;

    public static Context? Current
    {
        get => _current;
        set => _current = value;
    }
}
