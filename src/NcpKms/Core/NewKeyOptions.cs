namespace NcpKms.Core;

/// <summary>What Create Key is asked for (ncp-kms-api.md §8.1.2).</summary>
public sealed record NewKeyOptions(string KeyName, string KeyType)
{
    public const string Aes256 = "AES256";
    public const string Basic = "BASIC";

    /// <summary>BASIC (software storage) unless COMMON_HSM is asked for; the API requires the field.</summary>
    public string ProtectionType { get; init; } = Basic;

    /// <summary>Null sends no memo field.</summary>
    public string? Memo { get; init; }

    public bool IsConvergent { get; init; }

    /// <summary>Days between automatic rotations; null leaves automatic rotation off.</summary>
    public int? AutoRotationPeriodDays { get; init; }

    /// <summary>
    /// The rules the service would refuse, checked before any request: the key name rule, and convergent
    /// encryption only for AES256 keys. Throws NcpKms.InvalidKeyName or NcpKms.ConvergentRequiresAes256.
    /// </summary>
    public void Validate(string nameParameter)
    {
        Core.KeyName.Validate(KeyName, nameParameter);
        if (IsConvergent && KeyType != Aes256)
        {
            throw new KmsException("ConvergentRequiresAes256", KmsErrorKind.InvalidArgument,
                $"-Convergent is only available for AES256 keys, not for {KeyType} keys (key '{KeyName}'). No request was sent.");
        }
    }
}
