using System;
using System.Globalization;
using System.Security.Cryptography;
using NcpKms.Emulator.Auth;
using NcpKms.Emulator.Faults;
using NcpKms.Emulator.Http;
using NcpKms.Emulator.State;

namespace NcpKms.Emulator.Kms;

/// <summary>Settings for one emulator instance; port 0 lets the system choose a free port.</summary>
internal sealed record KmsEmulatorOptions(int Port, string AccessKey, string SecretKey, TimeSpan ClockSkew);

/// <summary>
/// One running emulator: a loopback HTTP server, its clock, credentials, keystore and request log. Knows
/// nothing about PowerShell, so C# tests or another host can run it directly.
/// </summary>
internal sealed class KmsEmulatorHost
{
    /// <summary>Stop never waits longer than this for in-flight requests.</summary>
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(2);

    private readonly HttpServer _server;

    private KmsEmulatorHost(KmsEmulatorOptions options, HttpServer server)
    {
        _server = server;
        AccessKey = options.AccessKey;
        SecretKey = options.SecretKey;
        Port = server.Port;
        Endpoint = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{server.Port}");
        Clock = new EmulatorClock(TimeProvider.System, options.ClockSkew);
        Store = new KmsStore(RandomNumberGenerator.GetInt32(1000, 10000));
    }

    /// <summary>Scheme, loopback address and port; no trailing slash and no path, as a client's endpoint setting expects.</summary>
    public string Endpoint { get; }

    public int Port { get; }

    public string AccessKey { get; }

    public string SecretKey { get; }

    public EmulatorClock Clock { get; }

    public KmsStore Store { get; }

    public RequestLog Log { get; } = new();

    public FaultInjector Faults { get; } = new();

    public bool IsRunning => _server.IsRunning;

    /// <exception cref="System.Net.Sockets.SocketException">The requested port cannot be bound.</exception>
    public static KmsEmulatorHost Start(KmsEmulatorOptions options)
    {
        HttpServer server = HttpServer.Bind(options.Port);
        var host = new KmsEmulatorHost(options, server);
        server.Start(host.BuildPipeline());
        return host;
    }

    /// <summary>Frees the port at once and resets open connections; safe to call more than once.</summary>
    public void Stop()
    {
        // Answers held back by an injected latency are let go first, so they cannot keep Stop waiting.
        Faults.Stop();
        _server.Stop(StopTimeout);
    }

    private KmsPipeline BuildPipeline()
    {
        var credentials = new CredentialStore();
        credentials.Add(AccessKey, SecretKey);
        var tokens = new TokenCodec();
        var keys = new KeyAccess(Store);
        var router = new KmsRouter();
        // baseUrl (Get Key Info) is the emulator itself, so a client that follows it stays on the emulator.
        new KeyOperations(keys, Endpoint).Map(router);
        new RotationOperations(keys).Map(router);
        new CryptoOperations(keys).Map(router);
        new TokenOperations(keys, tokens).Map(router);
        new AclOperations(keys).Map(router);
        new ActivityOperations(keys).Map(router);
        var authenticator = new KmsAuthenticator(new SignatureV2Authenticator(credentials), tokens, Store);
        return new KmsPipeline(Clock, authenticator, router, Store, Log, Faults);
    }
}
