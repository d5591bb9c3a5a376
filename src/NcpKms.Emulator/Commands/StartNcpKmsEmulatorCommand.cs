using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Net.Sockets;
using System.Security.Cryptography;
using NcpKms.Emulator.Kms;
using NcpKms.Emulator.State;

namespace NcpKms.Emulator.Commands;

/// <summary>Starts a KMS API 2.0 emulator on 127.0.0.1 inside this process.</summary>
[Cmdlet(VerbsLifecycle.Start, "NcpKmsEmulator")]
[OutputType(typeof(KmsEmulator))]
public sealed class StartNcpKmsEmulatorCommand : PSCmdlet
{
    private const string UpperAlphanumeric = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private const string Alphanumeric = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    [Parameter]
    [ValidateRange(1, 65535)]
    public int Port { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? AccessKey { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SecretKey { get; set; }

    [Parameter]
    [ValidateRange(0, 100_000)]
    public int KeyCount { get; set; }

    [Parameter]
    public TimeSpan ClockSkew { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? StatePath { get; set; }

    protected override void ProcessRecord()
    {
        ValidateInput();
        string? statePath = ResolveStatePath();
        KmsEmulatorHost host = StartHost(new KmsEmulatorOptions(
            Port,
            AccessKey ?? RandomNumberGenerator.GetString(UpperAlphanumeric, 20),
            SecretKey ?? RandomNumberGenerator.GetString(Alphanumeric, 40),
            ClockSkew,
            statePath));
        // -KeyCount seeds a new keystore only, so a demo can pass it on every run without piling up keys.
        if (!host.IsStateLoaded)
        {
            SeedKeys(host);
        }

        var emulator = new KmsEmulator(host);
        // Written at once, so an unwritable path fails here rather than after the first change.
        if (CmdletErrors.SaveState(emulator) is ErrorRecord error)
        {
            host.Stop();
            ThrowTerminatingError(error);
        }

        EmulatorRegistry.Add(emulator);
        WriteVerbose("Emulator listening on " + emulator.Endpoint);
        WriteObject(emulator);
    }

    private void ValidateInput()
    {
        // The access key travels in an HTTP header, so it must be visible ASCII without spaces.
        if (AccessKey is not null && !AccessKey.All(c => c > ' ' && c < 0x7F))
        {
            ThrowTerminatingError(CmdletErrors.InvalidArgument("InvalidAccessKey",
                "AccessKey must contain only visible ASCII characters (no spaces or control characters), because it is sent in an HTTP header.", AccessKey));
        }

        if (ClockSkew.Duration() > EmulatorClock.MaxSkew)
        {
            ThrowTerminatingError(CmdletErrors.InvalidClockSkew("ClockSkew", ClockSkew));
        }
    }

    /// <summary>The full path of -StatePath, relative to the current PowerShell location; refused when a running emulator uses it.</summary>
    private string? ResolveStatePath()
    {
        if (StatePath is null)
        {
            return null;
        }

        string path = GetUnresolvedProviderPathFromPSPath(StatePath);
        StringComparison comparison = OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        if (EmulatorRegistry.All().FirstOrDefault(running => string.Equals(running.StatePath, path, comparison)) is KmsEmulator owner)
        {
            ThrowTerminatingError(new ErrorRecord(new InvalidOperationException("StatePath: the emulator at " + owner.Endpoint
                + " already keeps its keys in '" + path + "'. Stop it first, or give another path."), "StatePathInUse", ErrorCategory.ResourceBusy, path));
        }

        return path;
    }

    private KmsEmulatorHost StartHost(KmsEmulatorOptions options)
    {
        try
        {
            return KmsEmulatorHost.Start(options);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            ThrowTerminatingError(CmdletErrors.StateFile(options.StatePath!, e));
            throw; // not reached: ThrowTerminatingError always throws
        }
        catch (SocketException e)
        {
            string message = e.SocketErrorCode == SocketError.AddressAlreadyInUse
                ? "Port " + Port + " is already in use on 127.0.0.1. Choose another -Port, or omit -Port to let the system pick a free one."
                : "Cannot listen on 127.0.0.1:" + Port + ": " + e.Message;
            ThrowTerminatingError(new ErrorRecord(new InvalidOperationException(message, e), "PortUnavailable", ErrorCategory.ResourceUnavailable, Port));
            throw; // not reached: ThrowTerminatingError always throws
        }
    }

    private void SeedKeys(KmsEmulatorHost host)
    {
        if (KeyCount == 0)
        {
            return;
        }

        var specs = Enumerable.Repeat(new NewKeySpec(), KeyCount).ToArray();
        host.Store.TryAdd(specs, host.Clock.NowMilliseconds, out _, out _);
    }
}
