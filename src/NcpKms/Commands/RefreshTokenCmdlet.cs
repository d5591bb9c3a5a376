using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using NcpKms.Core;

namespace NcpKms.Commands;

/// <summary>
/// The base of the two operations authorised by a refresh token (Renew Token Set, Create Access Token):
/// the refresh token comes from -Token or NCLOUD_KMS_TOKEN and no account signature is sent.
/// </summary>
public abstract class RefreshTokenCmdlet : NcpKmsTokenCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(KeyTagCompleter))]
    [AllowEmptyString]
    public string KeyTag { get; set; } = string.Empty;

    protected override KmsTokenKind TokenKind => KmsTokenKind.Refresh;

    protected override bool RequiresToken => true;

    protected sealed override void ProcessRecord()
    {
        if (ValidateKeyTag(KeyTag)) ProcessKey();
    }

    protected abstract void ProcessKey();

    /// <summary>Issuing tokens hands out credentials: confirmed first, then the tokens are written.</summary>
    protected void Issue(string action, Func<KmsConnection, CancellationToken, Task<KmsResult<TokenSet>>> call)
    {
        if (ShouldChange(KeyTag, PerKeyCmdlet.DescribeChange(action, Connection.Endpoint, null)) && TryInvoke(call, out TokenSet? tokens)) WriteObject(tokens);
    }
}
