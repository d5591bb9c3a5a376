using System;

namespace NcpKms.Emulator;

/// <summary>An emulator's clock as Set-NcpKmsEmulatorClock left it.</summary>
public sealed class EmulatorTime
{
    internal EmulatorTime(string endpoint, TimeSpan clockSkew, DateTimeOffset now)
    {
        Endpoint = endpoint;
        ClockSkew = clockSkew;
        Now = now;
    }

    public string Endpoint { get; }

    /// <summary>How far the emulator clock is ahead of (positive) or behind (negative) the real clock.</summary>
    public TimeSpan ClockSkew { get; }

    /// <summary>The emulator's time (UTC) when the clock was set.</summary>
    public DateTimeOffset Now { get; }
}
