using System.Management.Automation;
using NcpKms.Core;

namespace NcpKms.Commands;

/// <summary>Create Custom Key: POST /kms/v1/keys/{keyTag}/create-custom-key, one data key per key tag.</summary>
[Cmdlet(VerbsCommon.New, "NcpKmsDataKey", DefaultParameterSetName = SecureStringSet)]
[OutputType(typeof(DataKey))]
public sealed class NewNcpKmsDataKey : NcpKmsBulkCryptoCmdlet
{
    private const string SecureStringSet = "SecureString";
    private const string ByteArraySet = "AsByteArray";
    private const string WithoutPlaintextSet = "WithoutPlaintext";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(KeyTagCompleter))]
    [AllowEmptyString]
    public string KeyTag { get; set; } = string.Empty;

    [Parameter]
    [ValidateSet("128", "256", "512")]
    public int Bits { get; set; } = 256;

    [Parameter(Mandatory = true, ParameterSetName = ByteArraySet)]
    public SwitchParameter AsByteArray { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = WithoutPlaintextSet)]
    public SwitchParameter WithoutPlaintext { get; set; }

    [Parameter]
    public object? EncryptionContext { get; set; }

    protected override void ProcessRecord() => ProcessItem(KeyTag, () =>
    {
        byte[]? context = ContextBytes(EncryptionContext);
        string? keyType = CheckKeyType(KeyTag, KmsKeyUse.Encryption);
        if (VerboseEnabled)
        {
            WriteVerbose($"Creating a {Bits}-bit data key with {DescribeKey(KeyTag, keyType)}, "
                + (WithoutPlaintext ? "without its plaintext." : AsByteArray ? "its plaintext as a byte array." : "its plaintext as a SecureString."));
        }

        string keyTag = KeyTag;
        Send((connection, token) => connection.CreateDataKeyAsync(keyTag, Bits, !WithoutPlaintext, context, token),
            generated => WriteObject(DataKey.From(keyTag, Bits, generated, Plaintext(generated.Plaintext))), keyTag);
    });

    /// <summary>The raw key as asked for: kept as bytes, or turned into a SecureString of its Base64 text and wiped.</summary>
    private object? Plaintext(byte[]? key)
    {
        if (key is null || AsByteArray) return key;
        try
        {
            return CryptoText.Base64Secure(key);
        }
        finally
        {
            System.Array.Clear(key);
        }
    }
}
