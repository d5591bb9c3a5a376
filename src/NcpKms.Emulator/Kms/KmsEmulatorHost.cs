using System;
using System.Globalization;
using System.Security.Cryptography;
using NcpKms.Emulator.Auth;
using NcpKms.Emulator.Faults;
using NcpKms.Emulator.Http;
using NcpKms.Emulator.State;

namespace NcpKms.Emulator.Kms;

/// <summary>Settings for one emulator instance; port 0 lets the system choose a free port; a state path keeps the keys in that file.</summary>
internal sealed record KmsEmulatorOptions(int Port, string AccessKey, string SecretKey, TimeSpan ClockSkew, string? StatePath = null);

/// <summary>
/// One running emulator: a loopback HTTP server, its clock, credentials, keystore, request log, faults and
/// optional state file. Knows nothing about PowerShell, so C# tests or another host can run it directly.
/// </summary>
internal sealed class KmsEmulatorHost
{
    /// <summary>Stop never waits longer than this for in-flight requests.</summary>
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(2);

    private readonly HttpServer _server;
    private readonly TokenCodec _tokens;

    private KmsEmulatorHost(KmsEmulatorOptions options, HttpServer server, KmsStore store, SavedState? saved)
    {
        _server = server;
        AccessKey = options.AccessKey;
        SecretKey = options.SecretKey;
        Port = server.Port;
        Endpoint = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{server.Port}");
        Clock = new EmulatorClock(TimeProvider.System, options.ClockSkew);
        Store = store;
        IsStateLoaded = saved is not null;
        byte[] signingKey = saved?.TokenSigningKey ?? RandomNumberGenerator.GetBytes(TokenCodec.SigningKeyBytes);
        _tokens = new TokenCodec(signingKey);
        State = options.StatePath is string path ? new StateFile(path, store, signingKey) : null;
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

    /// <summary>The file the keys are kept in between runs; null when the emulator keeps them in memory only.</summary>
    public StateFile? State { get; }

    /// <summary>True when the keys came from an existing state file.</summary>
    public bool IsStateLoaded { get; }

    public bool IsRunning => _server.IsRunning;

    /// <exception cref="System.Net.Sockets.SocketException">The requested port cannot be bound.</exception>
    /// <exception cref="System.IO.InvalidDataException">The state file is not one this emulator reads.</exception>
    /// <exception cref="System.IO.IOException">The state file exists but cannot be read.</exception>
    public static KmsEmulatorHost Start(KmsEmulatorOptions options)
    {
        // The state is read before the port is bound, so a bad file fails without leaving anything open.
        var store = new KmsStore(RandomNumberGenerator.GetInt32(1000, 10000));
        SavedState? saved = options.StatePath is string path ? StateFile.Read(path, store.NewMaterial) : null;
        if (saved is not null)
        {
            store.Restore(saved.Store);
        }

        HttpServer server = HttpServer.Bind(options.Port);
        var host = new KmsEmulatorHost(options, server, store, saved);
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
        var keys = new KeyAccess(Store);
        var router = new KmsRouter();
        // baseUrl (Get Key Info) is the emulator itself, so a client that follows it stays on the emulator.
        new KeyOperations(keys, Endpoint).Map(router);
        new RotationOperations(keys).Map(router);
        new CryptoOperations(keys).Map(router);
        new TokenOperations(keys, _tokens).Map(router);
        new AclOperations(keys).Map(router);
        new ActivityOperations(keys).Map(router);
        var authenticator = new KmsAuthenticator(new SignatureV2Authenticator(credentials), _tokens, Store);
        return new KmsPipeline(Clock, authenticator, router, Store, Log, Faults, State);
    }
}
