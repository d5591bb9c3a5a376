using System.Management.Automation;
using NcpKms.Core;

namespace NcpKms.Commands;

/// <summary>Get Key List (every page) or Get Key Info for given key tags.</summary>
[Cmdlet(VerbsCommon.Get, "NcpKmsKey", DefaultParameterSetName = ListSet)]
[OutputType(typeof(Key))]
public sealed class GetNcpKmsKey : NcpKmsCmdlet
{
    private const string ListSet = "List";
    private const string KeyTagSet = "KeyTag";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = KeyTagSet)]
    [AllowEmptyString]
    public string[] KeyTag { get; set; } = System.Array.Empty<string>();

    [Parameter(ParameterSetName = ListSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == KeyTagSet)
        {
            foreach (string keyTag in KeyTag) WriteKeyInfo(keyTag);
            return;
        }

        WriteKeyList();
    }

    private void WriteKeyInfo(string keyTag)
    {
        if (!ValidateKeyTag(keyTag)) return;
        if (TryInvoke((connection, token) => connection.GetKeyAsync(keyTag, token), out Key? key)) WriteObject(key);
    }

    /// <summary>Streams every page as it arrives, so Select-Object -First stops the listing early.</summary>
    private void WriteKeyList()
    {
        WildcardPattern? pattern = Name is null ? null : WildcardPattern.Get(Name, WildcardOptions.IgnoreCase);
        bool matched = false;
        for (int pageNo = 1; ; pageNo++)
        {
            int page = pageNo;
            if (!TryInvoke((connection, token) => connection.ListKeysAsync(page, KmsKeyOperations.MaxPageSize, token), out KeyPage? keys)) return;
            foreach (Key key in keys.Keys)
            {
                if (pattern is not null && !pattern.IsMatch(key.KeyName ?? string.Empty)) continue;
                matched = true;
                WriteObject(key);
            }

            if (keys.IsLast) break;
        }

        if (!matched && Name is not null && !WildcardPattern.ContainsWildcardCharacters(Name))
        {
            WriteError(ErrorRecords.From(new KmsException("KeyNotFound", KmsErrorKind.NotFound,
                $"No key is named '{Name}' at {ResolvedContext.Endpoint}."), Name));
        }
    }
}
