using System;
using NcpKms.Emulator.Kms;

namespace NcpKms.Emulator;

/// <summary>
/// A running (or stopped) emulator as Start-NcpKmsEmulator returns it: where to reach it and the throw-away
/// credentials it accepts. Converts to its endpoint string, so it can be passed where an endpoint is expected.
/// </summary>
public sealed class KmsEmulator
{
    internal KmsEmulator(KmsEmulatorHost host) => Host = host;

    /// <summary><c>http://127.0.0.1:&lt;port&gt;</c>, with no trailing slash and no path.</summary>
    public string Endpoint => Host.Endpoint;

    public int Port => Host.Port;

    public string AccessKey => Host.AccessKey;

    /// <summary>A plain string on purpose: these credentials exist only for this emulator.</summary>
    public string SecretKey => Host.SecretKey;

    /// <summary>How far the emulator clock is ahead of (positive) or behind (negative) the real clock.</summary>
    public TimeSpan ClockSkew => Host.Clock.Skew;

    public bool IsRunning => Host.IsRunning;

    /// <summary>The full path of the file the keys are kept in between runs; null when they are kept in memory only.</summary>
    public string? StatePath => Host.State?.Path;

    internal KmsEmulatorHost Host { get; }

    public override string ToString() => Endpoint;
}
