using System;
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

    protected override void ProcessRecord()
    {
        ValidateInput();
        KmsEmulatorHost host = StartHost(new KmsEmulatorOptions(
            Port,
            AccessKey ?? RandomNumberGenerator.GetString(UpperAlphanumeric, 20),
            SecretKey ?? RandomNumberGenerator.GetString(Alphanumeric, 40),
            ClockSkew));
        SeedKeys(host);
        var emulator = new KmsEmulator(host);
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

    private KmsEmulatorHost StartHost(KmsEmulatorOptions options)
    {
        try
        {
            return KmsEmulatorHost.Start(options);
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
