using System;
using System.Threading;

namespace NcpKms.Core;

/// <summary>A message the core has for the user while a call runs: a retry (Verbose) or a clock correction (Warning).</summary>
public readonly record struct KmsNotice(bool IsWarning, string Text);

/// <summary>
/// Where the core reports retries and corrections. The sink flows with the async call (AsyncLocal), so each
/// cmdlet sees only the notices of its own calls, and can write them on its own pipeline thread.
/// </summary>
public static class KmsNotices
{
    private static readonly AsyncLocal<Action<KmsNotice>?> Sink = new();

    /// <summary>Sends the notices of calls started until the scope is disposed to <paramref name="sink"/>.</summary>
    public static IDisposable Capture(Action<KmsNotice> sink)
    {
        Action<KmsNotice>? previous = Sink.Value;
        Sink.Value = sink;
        return new Scope(previous);
    }

    internal static void Verbose(string text) => Sink.Value?.Invoke(new KmsNotice(false, text));

    internal static void Warning(string text) => Sink.Value?.Invoke(new KmsNotice(true, text));

    private sealed class Scope(Action<KmsNotice>? previous) : IDisposable
    {
        public void Dispose() => Sink.Value = previous;
    }
}
