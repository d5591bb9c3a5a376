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
    [ArgumentCompleter(typeof(KeyTagCompleter))]
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
        if (!this.ValidateKeyTag(keyTag)) return;
        if (TryInvoke((connection, token) => connection.GetKeyAsync(keyTag, token), out Key? key)) WriteObject(key);
    }

    /// <summary>Streams every page as it arrives, so Select-Object -First stops the listing early.</summary>
    private void WriteKeyList()
    {
        WildcardPattern? pattern = Name is null ? null : WildcardPattern.Get(Name, WildcardOptions.IgnoreCase);
        bool matched = false, listedAll = false;
        foreach (KeyPage page in TryInvokeEach((connection, token) => connection.ListKeyPagesAsync(KmsKeyOperations.MaxPageSize, token)))
        {
            listedAll = page.IsLast;
            foreach (Key key in page.Keys)
            {
                if (pattern is not null && !pattern.IsMatch(key.KeyName ?? string.Empty)) continue;
                matched = true;
                WriteObject(key);
            }
        }

        if (listedAll && !matched && Name is not null && !WildcardPattern.ContainsWildcardCharacters(Name))
        {
            WriteError(ErrorRecords.From(new KmsException("KeyNotFound", KmsErrorKind.NotFound,
                $"No key is named '{Name}' at {ResolvedContext.Endpoint}."), Name));
        }
    }
}
