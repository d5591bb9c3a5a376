using System;
using System.Collections.Concurrent;
using System.Linq;

namespace NcpKms.Emulator.Commands;

/// <summary>
/// Every emulator started in this process and not yet stopped, so Stop-NcpKmsEmulator without arguments can
/// clean up after a test run that lost its variables.
/// </summary>
internal static class EmulatorRegistry
{
    private static readonly ConcurrentDictionary<KmsEmulator, byte> Running = new();

    public static void Add(KmsEmulator emulator) => Running.TryAdd(emulator, 0);

    public static KmsEmulator[] All() => Running.Keys.ToArray();

    public static void Stop(KmsEmulator emulator)
    {
        emulator.Host.Stop();
        Running.TryRemove(emulator, out _);
    }
}
