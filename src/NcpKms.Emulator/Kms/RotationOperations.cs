using System;
using System.Globalization;
using NcpKms.Emulator.Json;
using NcpKms.Emulator.State;

namespace NcpKms.Emulator.Kms;

/// <summary>Rotation and key versions (reference §8.2, §6.4, §6.7).</summary>
internal sealed class RotationOperations
{
    private readonly KeyAccess _keys;

    public RotationOperations(KeyAccess keys) => _keys = keys;

    public void Map(KmsRouter router)
    {
        router.Map("POST", "/kms/v1/keys/{keyTag}/rotate", "RotateKey", RotateKey);
        router.Map("POST", "/kms/v1/keys/{keyTag}/enable-auto-rotation", "EnableAutoRotation", EnableAutoRotation);
        router.Map("POST", "/kms/v1/keys/{keyTag}/disable-auto-rotation", "DisableAutoRotation", DisableAutoRotation);
        router.Map("PUT", "/kms/v1/keys/{keyTag}/rotation-period", "UpdateRotationPeriod", UpdateRotationPeriod);
        router.Map("GET", "/kms/v1/keys/{keyTag}/versions", "GetKeyVersionList", call => call.Succeed(_keys.Find(call), KeyJson.WriteVersionList));
        router.Map("POST", "/kms/v1/keys/{keyTag}/versions/{version}/enable", "EnableKeyVersion", call => ChangeVersion(call, KeyRules.Enable));
        router.Map("POST", "/kms/v1/keys/{keyTag}/versions/{version}/disable", "DisableKeyVersion", call => ChangeVersion(call, KeyRules.Disable));
    }

    /// <summary>Appends version N+1 with new key material; only an ENABLE key below the version limit rotates.</summary>
    private void RotateKey(KmsCall call)
    {
        KmsKey key = _keys.Change(call, key =>
        {
            KeyAccess.RequireStatus(key, KeyRules.EnableOnly, "Rotate Key");
            if (key.Versions.Length >= KeyRules.MaxVersions)
            {
                throw KmsFault.InvalidStatus("The key already has " + KeyRules.MaxVersions + " versions");
            }

            var version = new KmsKeyVersion(key.CurrentVersion + 1, KeyRules.Enable, call.Now, call.Now, _keys.Store.NewMaterial(key.KeyType));
            // Inferred: a manual rotation restarts the automatic-rotation period (the reference does not say).
            return key with { Versions = key.Versions.Add(version), NextRotationDate = NextRotation(key, call.Now) };
        });
        call.Succeed(("keyTag", key.KeyTag), ("version", key.CurrentVersion), ("rotatedDate", key.Versions[^1].RotatedDate));
    }

    /// <summary>Inferred: the reference names no status rule for switching auto rotation, so any status may.</summary>
    private void EnableAutoRotation(KmsCall call)
    {
        KmsKey key = _keys.Change(call, key => key with { IsAutoRotation = true, NextRotationDate = call.Now + Days(key.RotationPeriod) });
        call.Succeed(("keyTag", key.KeyTag), ("isAutoRotation", key.IsAutoRotation), ("rotationPeriod", key.RotationPeriod),
            ("nextRotationDate", key.NextRotationDate));
    }

    private void DisableAutoRotation(KmsCall call)
    {
        KmsKey key = _keys.Change(call, key => key with { IsAutoRotation = false, NextRotationDate = null });
        call.Succeed(("keyTag", key.KeyTag), ("isAutoRotation", key.IsAutoRotation));
    }

    /// <summary>Reference §8.2.4: 1-730 days, only while auto rotation is on; the next rotation is that far from now.</summary>
    private void UpdateRotationPeriod(KmsCall call)
    {
        int period = CreateKeyRequest.CheckRotationPeriod(JsonBody.Read(call.Request.Body, body => body.RequiredInt32("rotationPeriod")));
        KmsKey key = _keys.Change(call, key => key.IsAutoRotation
            ? key with { RotationPeriod = period, NextRotationDate = call.Now + Days(period) }
            : throw KmsFault.InvalidStatus("The rotation period can change only while auto rotation is enabled"));
        call.Succeed(("keyTag", key.KeyTag), ("rotationPeriod", key.RotationPeriod), ("nextRotationDate", key.NextRotationDate));
    }

    /// <summary>
    /// Reference §6.4: versions change only while the key is ENABLE, and the current version cannot be disabled.
    /// Inferred: a version already in the target state is refused (422), like the key transitions.
    /// </summary>
    private void ChangeVersion(KmsCall call, string to)
    {
        int number = ReadVersionNumber(call);
        string action = call.Api!.Action;
        KmsKey key = _keys.Change(call, key =>
        {
            KmsKeyVersion version = KeyAccess.FindVersion(key, number);
            KeyAccess.RequireStatus(key, KeyRules.EnableOnly, action);
            if (version.Status == to)
            {
                throw KmsFault.InvalidStatus("Version " + number + " is already " + to);
            }

            if (to == KeyRules.Disable && number == key.CurrentVersion)
            {
                throw KmsFault.InvalidStatus("The current version cannot be disabled");
            }

            return key with { Versions = key.Versions.SetItem(number - 1, version with { Status = to, StatusDate = call.Now }) };
        });
        KmsKeyVersion changed = key.Versions[number - 1];
        call.Succeed(("version", changed.Version), ("status", changed.Status), ("statusDate", changed.StatusDate));
    }

    /// <summary>The path's {version}: an integer 1-100 (reference §7), else 400 INVALID_REQUEST.</summary>
    private static int ReadVersionNumber(KmsCall call)
    {
        string raw = call.Route.Get("version");
        return int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out int number) && number is >= 1 and <= KeyRules.MaxVersions
            ? number
            : throw KmsFault.Invalid("version: an integer 1-100; got '" + raw + "'");
    }

    private static long? NextRotation(KmsKey key, long now) => key.IsAutoRotation ? now + Days(key.RotationPeriod) : null;

    private static long Days(int days) => days * KeyRules.DayMilliseconds;
}
