using System;
using System.Collections.Generic;
using NcpKms.Emulator.Json;
using NcpKms.Emulator.State;

namespace NcpKms.Emulator.Kms;

/// <summary>
/// Key management (reference §8.1) and Migrate Key (§8.3). Each method reads its input, applies the documented
/// rule through <see cref="KeyAccess"/> (which does the locking) and writes the documented <c>data</c>.
/// </summary>
internal sealed class KeyOperations
{
    /// <summary>
    /// Reference §8.3.1 and §11 #11: "KR" is documented; the Japan value is not, so both "JP" (host naming) and
    /// "JPN" (region code, <c>jpn-</c> tag prefix) are accepted until one is confirmed.
    /// </summary>
    private static readonly HashSet<string> TargetRegions = new(StringComparer.Ordinal) { "KR", "JP", "JPN" };

    private readonly KeyAccess _keys;
    private readonly string _baseUrl;

    public KeyOperations(KeyAccess keys, string baseUrl)
    {
        _keys = keys;
        _baseUrl = baseUrl;
    }

    public void Map(KmsRouter router)
    {
        router.Map("GET", "/kms/v1/keys", "GetKeyList", ListKeys);
        router.Map("POST", "/kms/v1/keys", "CreateKey", CreateKey);
        router.Map("GET", "/kms/v1/keys/{keyTag}", "GetKeyInfo", GetKey);
        router.Map("DELETE", "/kms/v1/keys/{keyTag}", "DeleteKey", DeleteKey);
        router.Map("PUT", "/kms/v1/keys/{keyTag}/name", "UpdateKeyName", UpdateName);
        router.Map("PUT", "/kms/v1/keys/{keyTag}/memo", "UpdateMemo", UpdateMemo);
        router.Map("POST", "/kms/v1/keys/{keyTag}/enable", "EnableKey", call => ChangeStatus(call, KeyRules.DisableOnly, KeyRules.Enable));
        router.Map("POST", "/kms/v1/keys/{keyTag}/disable", "DisableKey", call => ChangeStatus(call, KeyRules.EnableOnly, KeyRules.Disable));
        router.Map("POST", "/kms/v1/keys/{keyTag}/request-deletion", "RequestKeyDeletion", call => ChangeStatus(call, KeyRules.EnableOrDisable, KeyRules.Revoke));
        // Reference §6.3: a cancelled deletion leaves the key DISABLE, not ENABLE.
        router.Map("POST", "/kms/v1/keys/{keyTag}/cancel-deletion", "CancelKeyDeletion", call => ChangeStatus(call, KeyRules.RevokeOnly, KeyRules.Disable));
        router.Map("POST", "/kms/v1/keys/{keyTag}/migrate", "MigrateKey", MigrateKey);
    }

    private void ListKeys(KmsCall call)
    {
        (int pageNo, int pageSize) = QueryString.GetPage(call.Request.Query);
        (KmsKey[] items, int total) = _keys.Store.List(pageNo, pageSize);
        // An empty keystore reports totalPageNo 0 (zero pages of results). A client paging "until
        // currentPageNo >= totalPageNo" stops after the first call either way; the reference does not say.
        call.Succeed(new KeyPage(items, new Paging(pageNo, pageSize, total)), KeyJson.WriteKeyList);
    }

    private void CreateKey(KmsCall call)
    {
        NewKeySpec spec = CreateKeyRequest.Parse(call.Request.Body);
        if (!_keys.Store.TryAdd([spec], call.Now, out IReadOnlyList<KmsKey> added, out _))
        {
            throw DuplicateName(spec.KeyName!);
        }

        call.SubjectKeyTag = added[0].KeyTag;
        call.Succeed((added[0], _keys.Store.KeystoreId), KeyJson.WriteCreatedKey);
    }

    private void GetKey(KmsCall call) => call.Succeed((_keys.Find(call), _keys.Store.KeystoreId, _baseUrl), KeyJson.WriteKeyInfo);

    /// <summary>Reference §8.1.4: immediate, and only for a key already in REVOKE.</summary>
    private void DeleteKey(KmsCall call)
    {
        _keys.Remove(call, key => KeyAccess.RequireStatus(key, KeyRules.RevokeOnly, "Delete Key"));
        call.SucceedWithoutData();
    }

    private void UpdateName(KmsCall call)
    {
        string name = JsonBody.Read(call.Request.Body, CreateKeyRequest.ReadKeyName);
        // Renaming keeps the key tag (reference §8.1.5 echoes it; inferred there).
        KmsKey key = _keys.Change(call, key => key.KeyName == name || !_keys.Store.IsNameTaken(name) ? key with { KeyName = name } : throw DuplicateName(name));
        call.Succeed(("keyTag", key.KeyTag), ("keyName", key.KeyName));
    }

    private void UpdateMemo(KmsCall call)
    {
        // An empty memo clears it.
        string memo = JsonBody.Read(call.Request.Body, body => CreateKeyRequest.ReadMemo(body, required: true));
        KmsKey key = _keys.Change(call, key => key with { Memo = memo });
        call.Succeed(("keyTag", key.KeyTag), ("memo", key.Memo));
    }

    /// <summary>
    /// Enable, disable, request and cancel deletion (reference §6.3). Inferred: a key already in the target
    /// state is refused like any other state the transition does not start from (422).
    /// </summary>
    private void ChangeStatus(KmsCall call, string[] from, string to)
    {
        string action = call.Api!.Action;
        KmsKey key = _keys.Change(call, key =>
        {
            KeyAccess.RequireStatus(key, from, action);
            return key with
            {
                Status = to,
                StatusDate = call.Now,
                DestroyDate = to == KeyRules.Revoke ? call.Now + KeyRules.DeletionWaitMilliseconds : null,
            };
        });
        call.Succeed(("keyTag", key.KeyTag), ("status", key.Status), ("statusDate", key.StatusDate));
    }

    /// <summary>
    /// Reference §8.3.1: the global key becomes a region-isolated key and is deleted from the global keystore.
    /// The emulator models one host, the global one, where every key is global; so the key leaves this
    /// emulator and is not found here afterwards. The reference's "an isolated key with that name already
    /// exists" failure cannot arise, as no isolated keystore is modelled.
    /// </summary>
    private void MigrateKey(KmsCall call)
    {
        string region = JsonBody.Read(call.Request.Body, body => body.RequiredString("targetRegion"));
        if (!TargetRegions.Contains(region))
        {
            throw KmsFault.Invalid("targetRegion: one of KR, JP, JPN");
        }

        KmsKey key = _keys.Remove(call, _ => { });
        call.Succeed(("keyTag", key.KeyTag), ("targetRegion", region));
    }

    /// <summary>Inferred: the reference does not say how a taken name is refused; it is a violated body rule (400).</summary>
    private static KmsFault DuplicateName(string name) => KmsFault.Invalid("keyName: a key named '" + name + "' already exists");
}
