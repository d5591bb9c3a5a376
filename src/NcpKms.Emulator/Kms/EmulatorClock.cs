using System;
using System.Threading;

namespace NcpKms.Emulator.Kms;

/// <summary>
/// The emulator's notion of "now": the real clock plus a configurable skew. Everything time-dependent reads
/// it (the timestamp window, dates written into responses, the Date header) so a skewed emulator is
/// consistently skewed, the way a server with a wrong clock would be.
/// </summary>
internal sealed class EmulatorClock
{
    /// <summary>Far enough for any clock test (token lifetimes, the 72-hour deletion wait), near enough that dates stay representable.</summary>
    public static readonly TimeSpan MaxSkew = TimeSpan.FromDays(3650);

    private readonly TimeProvider _time;
    private long _skewTicks;

    public EmulatorClock(TimeProvider time, TimeSpan skew)
    {
        _time = time;
        _skewTicks = skew.Ticks;
    }

    /// <summary>Settable while running, so later fault injection can move the clock under a live client.</summary>
    public TimeSpan Skew
    {
        get => TimeSpan.FromTicks(Volatile.Read(ref _skewTicks));
        set => Volatile.Write(ref _skewTicks, value.Ticks);
    }

    public DateTimeOffset UtcNow => _time.GetUtcNow() + Skew;

    /// <summary>Milliseconds since the Unix epoch, the unit of every KMS date.</summary>
    public long NowMilliseconds => UtcNow.ToUnixTimeMilliseconds();
}
