using System.Collections.Generic;
using System.Management.Automation;
using NcpKms.Core;

namespace NcpKms.Commands;

/// <summary>Get Key Version List: GET /kms/v1/keys/{keyTag}/versions.</summary>
[Cmdlet(VerbsCommon.Get, "NcpKmsKeyVersion")]
[OutputType(typeof(KeyVersion))]
public sealed class GetNcpKmsKeyVersion : NcpKmsCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(KeyTagCompleter))]
    [AllowEmptyString]
    public string KeyTag { get; set; } = string.Empty;

    protected override void ProcessRecord()
    {
        if (!ValidateKeyTag(KeyTag)) return;
        if (TryInvoke((connection, token) => connection.GetKeyVersionsAsync(KeyTag, token), out IReadOnlyList<KeyVersion>? versions))
            WriteObject(versions, enumerateCollection: true);
    }
}
