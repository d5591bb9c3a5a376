using System;
using System.IO;
using System.Management.Automation;

namespace NcpKms.Emulator.Commands;

/// <summary>Error records whose message names the parameter and the rule it broke, or the state file and what went wrong with it.</summary>
internal static class CmdletErrors
{
    public static ErrorRecord InvalidArgument(string errorId, string message, object? target) =>
        new(new ArgumentException(message), errorId, ErrorCategory.InvalidArgument, target);

    public static ErrorRecord InvalidClockSkew(string parameter, TimeSpan skew) =>
        InvalidArgument("InvalidClockSkew", parameter + " must leave the emulator clock between -3650 and 3650 days from the real clock; the skew would be " + skew + ".", skew);

    public static ErrorRecord Stopped(KmsEmulator emulator) =>
        new(new InvalidOperationException("The emulator at " + emulator.Endpoint + " has been stopped; start a new one with Start-NcpKmsEmulator."),
            "EmulatorStopped", ErrorCategory.InvalidOperation, emulator);

    /// <summary>A state file that cannot be loaded (InvalidStateFile) or read or written (StateFileUnavailable).</summary>
    public static ErrorRecord StateFile(string path, Exception e) => e is InvalidDataException
        ? new(new InvalidDataException("The state file '" + path + "' cannot be loaded: " + e.Message + ". Fix or delete the file, or give another -StatePath.", e),
            "InvalidStateFile", ErrorCategory.InvalidData, path)
        : new(new IOException("The state file '" + path + "' cannot be used: " + e.Message, e), "StateFileUnavailable", ErrorCategory.WriteError, path);

    /// <summary>Writes the emulator's state file if it has unsaved changes; returns the error to report when that fails, else null.</summary>
    public static ErrorRecord? SaveState(KmsEmulator emulator)
    {
        try
        {
            emulator.Host.State?.SaveIfChanged();
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return StateFile(emulator.StatePath!, e);
        }
    }
}
