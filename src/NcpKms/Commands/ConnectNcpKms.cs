using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Runtime.InteropServices;
using System.Security;
using NcpKms.Core;

namespace NcpKms.Commands;

/// <summary>
/// Sets the session context: credentials and endpoint, checked with one cheap signed call
/// (a one-key page of Get Key List) unless -SkipValidation.
/// </summary>
[Cmdlet(VerbsCommunications.Connect, "NcpKms", DefaultParameterSetName = EnvironmentSet)]
[OutputType(typeof(Context))]
public sealed class ConnectNcpKms : KmsCallCmdlet
{
    private const string EnvironmentSet = "Environment";
    private const string AccessKeySet = "AccessKey";
    private const string CredentialSet = "Credential";
    private const string ProfileSet = "Profile";

    [Parameter(Mandatory = true, ParameterSetName = AccessKeySet)]
    [ValidateNotNullOrEmpty]
    public string? AccessKey { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = AccessKeySet)]
    public SecureString? SecretKey { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = CredentialSet)]
    [Credential]
    public PSCredential? Credential { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = ProfileSet)]
    [ValidateNotNullOrEmpty]
    public string? ProfileName { get; set; }

    [Parameter]
    public NcpSite Site { get; set; } = NcpSite.Public;

    [Parameter]
    public NcpRegion Region { get; set; } = NcpRegion.Global;

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Endpoint { get; set; }

    [Parameter]
    [ValidateRange(0, KmsRetryPolicy.MaxAllowedRetries)]
    public int MaxRetries { get; set; }

    [Parameter]
    [ValidateRange(1, KmsSettings.MaxTimeoutSeconds)]
    public int TimeoutSec { get; set; }

    [Parameter]
    [ValidateNotNull]
    public Uri? Proxy { get; set; }

    [Parameter]
    [Credential]
    public PSCredential? ProxyCredential { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    [Parameter]
    public SwitchParameter SkipValidation { get; set; }

    protected override void EndProcessing()
    {
        try
        {
            Context context = CreateContext();
            if (!SkipValidation) Invoke(context.Connection, (connection, token) => connection.ListKeysAsync(1, 1, token));
            SessionContext.Current = context;
            WriteVerbose($"Connected: access key {context.AccessKey} ({context.CredentialSource}), endpoint {context.Endpoint} ({context.EndpointSource}).");
            if (PassThru) WriteObject(context);
        }
        catch (KmsException exception)
        {
            ThrowTerminatingError(ErrorRecords.From(exception));
        }
    }

    private Context CreateContext()
    {
        KmsEndpoint endpoint = KmsEndpoint.Resolve(Endpoint, Environment.GetEnvironmentVariable, Site, Region);
        bool siteGiven = Bound(nameof(Site)) || Bound(nameof(Region));
        if (siteGiven && endpoint.Source == KmsEndpoint.EnvironmentVariable)
            WriteWarning($"{KmsEndpoint.EnvironmentVariable} is set, so it overrides -Site and -Region: the endpoint is {endpoint}.");
        else if (siteGiven && Endpoint is not null)
            WriteWarning($"-Endpoint overrides -Site and -Region: the endpoint is {endpoint}.");

        KmsCredential credential = ResolveCredential();
        WriteDebug($"Credentials: {credential.Source}, access key {credential.MaskedAccessKey}; endpoint {endpoint} (from {endpoint.Source}).");
        KmsRetryPolicy retry = KmsSettings.RetryPolicy(Environment.GetEnvironmentVariable,
            Bound(nameof(MaxRetries)) ? MaxRetries : null, Bound(nameof(TimeoutSec)) ? TimeoutSec : null);
        return new Context(credential, endpoint, retry, KmsHttp.For(CheckedProxy(), ProxyCredential?.GetNetworkCredential()), Proxy);
    }

    /// <summary>An absolute http(s) proxy URL; credentials go in -ProxyCredential, never in the URL.</summary>
    private Uri? CheckedProxy()
    {
        if (Proxy is null) return null;
        if (!Proxy.IsAbsoluteUri || (Proxy.Scheme != Uri.UriSchemeHttp && Proxy.Scheme != Uri.UriSchemeHttps) || Proxy.UserInfo.Length > 0)
        {
            throw new KmsException("InvalidProxy", KmsErrorKind.InvalidArgument,
                "-Proxy must be an absolute http:// or https:// URL without user information (give -ProxyCredential for that), such as http://proxy.example.com:3128.");
        }

        return Proxy;
    }

    private bool Bound(string parameterName) => MyInvocation.BoundParameters.ContainsKey(parameterName);

    private KmsCredential ResolveCredential()
    {
        switch (ParameterSetName)
        {
            case AccessKeySet:
                return FromSecureString(AccessKey!, SecretKey!, "Connect-NcpKms -AccessKey");
            case CredentialSet:
                return FromSecureString(Credential!.UserName, Credential.Password, "Connect-NcpKms -Credential");
            case ProfileSet:
                return CredentialChain.ForCurrentProcess(WriteWarning).FromProfile(ProfileName!);
            default:
                var tried = new List<string>();
                return CredentialChain.ForCurrentProcess(WriteWarning).Resolve(tried) ?? throw ContextResolver.NotFound(tried);
        }
    }

    /// <summary>Copies the secret out of the SecureString into a buffer that is wiped as soon as the key bytes exist.</summary>
    private static KmsCredential FromSecureString(string accessKey, SecureString secret, string source)
    {
        if (string.IsNullOrWhiteSpace(accessKey) || secret.Length == 0)
        {
            throw new KmsException("IncompleteCredentials", KmsErrorKind.InvalidArgument,
                $"{source} needs both an access key and a secret key; {(secret.Length == 0 ? "the secret key" : "the access key")} is empty.");
        }

        IntPtr pointer = Marshal.SecureStringToGlobalAllocUnicode(secret);
        char[] buffer = new char[secret.Length];
        try
        {
            Marshal.Copy(pointer, buffer, 0, buffer.Length);
            return new KmsCredential(accessKey, buffer, source);
        }
        finally
        {
            Array.Clear(buffer);
            Marshal.ZeroFreeGlobalAllocUnicode(pointer);
        }
    }
}
