using System;
using System.Collections.Generic;
using NcpKms.Core;

namespace NcpKms.Commands;

/// <summary>
/// The credential chain of the module: -Context, the Connect-NcpKms session, environment variables,
/// the ncloud configure file. Each step reports what it tried so a failure can list every source.
/// </summary>
internal static class ContextResolver
{
    /// <summary>The context a KMS cmdlet uses; throws NcpKms.CredentialsNotFound listing the sources tried.</summary>
    public static Context Resolve(Context? explicitContext, Action<string> debug, Action<string>? warn = null)
    {
        if (explicitContext is not null)
        {
            debug($"Credentials: the -Context parameter ({explicitContext.CredentialSource}); endpoint {explicitContext.Endpoint}.");
            return explicitContext;
        }

        Context? session = SessionContext.Current;
        if (session is not null)
        {
            debug($"Credentials: the session context of Connect-NcpKms ({session.CredentialSource}); endpoint {session.Endpoint}.");
            return session;
        }

        var tried = new List<string> { "-Context: not given", "Connect-NcpKms: no session context" };
        return ResolveImplicit(tried, debug, warn) ?? throw NotFound(tried);
    }

    /// <summary>Environment variables, then the configure file; the endpoint from NCLOUD_KMS_ENDPOINT or the public global host.</summary>
    public static Context? ResolveImplicit(List<string> tried, Action<string> debug, Action<string>? warn = null)
    {
        CredentialChain chain = CredentialChain.ForCurrentProcess(warn);
        KmsCredential? credential = chain.Resolve(tried);
        if (credential is null) return null;
        KmsEndpoint endpoint = ImplicitEndpoint();
        debug($"Credentials: {credential.Source}, access key {credential.MaskedAccessKey}; endpoint {endpoint} (from {endpoint.Source}).");
        return new Context(credential, endpoint, ImplicitRetryPolicy());
    }

    /// <summary>The endpoint without Connect-NcpKms: NCLOUD_KMS_ENDPOINT, else the public global host.</summary>
    public static KmsEndpoint ImplicitEndpoint() => KmsEndpoint.Resolve(null, Environment.GetEnvironmentVariable, NcpSite.Public, NcpRegion.Global);

    /// <summary>The retry settings without Connect-NcpKms: from the environment, else the defaults.</summary>
    public static KmsRetryPolicy ImplicitRetryPolicy() => KmsSettings.RetryPolicy(Environment.GetEnvironmentVariable);

    public static KmsException NotFound(IEnumerable<string> tried) =>
        new("CredentialsNotFound", KmsErrorKind.Authentication,
            "No NCP credentials were found. Sources tried, in order: " + string.Join("; ", tried) + ".");
}
