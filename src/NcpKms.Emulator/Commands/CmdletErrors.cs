using System;
using System.Management.Automation;

namespace NcpKms.Emulator.Commands;

/// <summary>Error records whose message names the parameter and the rule it broke.</summary>
internal static class CmdletErrors
{
    public static ErrorRecord InvalidArgument(string errorId, string message, object? target) =>
        new(new ArgumentException(message), errorId, ErrorCategory.InvalidArgument, target);

    public static ErrorRecord InvalidClockSkew(string parameter, TimeSpan skew) =>
        InvalidArgument("InvalidClockSkew", parameter + " must leave the emulator clock between -3650 and 3650 days from the real clock; the skew would be " + skew + ".", skew);

    public static ErrorRecord Stopped(KmsEmulator emulator) =>
        new(new InvalidOperationException("The emulator at " + emulator.Endpoint + " has been stopped; start a new one with Start-NcpKmsEmulator."),
            "EmulatorStopped", ErrorCategory.InvalidOperation, emulator);
}
