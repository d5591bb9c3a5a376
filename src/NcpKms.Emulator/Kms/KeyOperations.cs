using System;
using System.Collections.Generic;
using System.Globalization;
using NcpKms.Emulator.Json;
using NcpKms.Emulator.State;

namespace NcpKms.Emulator.Kms;

/// <summary>
/// Key management and rotation operations (reference §8.1.1–8.1.3, §8.2.1, §8.2.5). Each method validates its
/// input, asks the store, and writes one response; the store does all locking.
/// </summary>
internal sealed class KeyOperations
{
    private const int DefaultPageSize = 100;
    private const int MaxPageSize = 200;

    private readonly KmsStore _store;
    private readonly string _baseUrl;

    public KeyOperations(KmsStore store, string baseUrl)
    {
        _store = store;
        _baseUrl = baseUrl;
    }

    public void Map(KmsRouter router)
    {
        router.Map("GET", "/kms/v1/keys", ListKeys);
        router.Map("POST", "/kms/v1/keys", CreateKey);
        router.Map("GET", "/kms/v1/keys/{keyTag}", GetKey);
        router.Map("GET", "/kms/v1/keys/{keyTag}/versions", GetVersions);
        router.Map("POST", "/kms/v1/keys/{keyTag}/rotate", RotateKey);
    }

    private void ListKeys(KmsCall call)
    {
        if (!TryReadPageParameter(call, "pageNo", 1, 1, int.MaxValue, out int pageNo)
            || !TryReadPageParameter(call, "pageSize", DefaultPageSize, 1, MaxPageSize, out int pageSize))
        {
            return;
        }

        (KmsKey[] items, int total) = _store.List(pageNo, pageSize);
        // An empty keystore reports totalPageNo 0 (zero pages of results). A client paging "until
        // currentPageNo >= totalPageNo" stops after the first call either way; the reference does not say.
        int totalPages = (int)((total + (long)pageSize - 1) / pageSize);
        call.Succeed(new KeyPage(items, pageNo, totalPages, total), KeyJson.WriteKeyList);
    }

    private void CreateKey(KmsCall call)
    {
        NewKeySpec? spec = CreateKeyRequest.Parse(call.Request.Body, out string? error);
        if (spec is null)
        {
            call.Fail(KmsErrors.InvalidRequest, error ?? "Invalid body");
            return;
        }

        if (!_store.TryAdd([spec], call.Now, out IReadOnlyList<KmsKey> added, out _))
        {
            // Inferred: the reference does not say how a duplicate name is refused; it is treated like any
            // other violated body constraint (400 INVALID_REQUEST).
            call.Fail(KmsErrors.InvalidRequest, "keyName: a key named '" + spec.KeyName + "' already exists");
            return;
        }

        call.Succeed((added[0], _store.KeystoreId), KeyJson.WriteCreatedKey);
    }

    private void GetKey(KmsCall call)
    {
        if (TryFindKey(call, out KmsKey key))
        {
            call.Succeed((key, _store.KeystoreId, _baseUrl), KeyJson.WriteKeyInfo);
        }
    }

    private void GetVersions(KmsCall call)
    {
        if (TryFindKey(call, out KmsKey key))
        {
            call.Succeed(key, KeyJson.WriteVersionList);
        }
    }

    private void RotateKey(KmsCall call)
    {
        if (!TryReadKeyTag(call, out string keyTag))
        {
            return;
        }

        switch (_store.Rotate(keyTag, call.Now, out KmsKey rotated))
        {
            case RotateOutcome.Rotated:
                call.Succeed(rotated, KeyJson.WriteRotation);
                break;
            case RotateOutcome.NotFound:
                FailUnknownKey(call, keyTag);
                break;
            case RotateOutcome.NotEnabled:
                call.Fail(KmsErrors.InvalidStatus, "Only an ENABLE key can be rotated; this key is " + rotated.Status);
                break;
            default:
                call.Fail(KmsErrors.InvalidStatus, "The key already has " + KeyRules.MaxVersions + " versions");
                break;
        }
    }

    /// <summary>Finds the key named by the route, or answers 404.</summary>
    private bool TryFindKey(KmsCall call, out KmsKey key)
    {
        key = null!;
        if (!TryReadKeyTag(call, out string keyTag))
        {
            return false;
        }

        if (_store.TryGet(keyTag, out key))
        {
            return true;
        }

        FailUnknownKey(call, keyTag);
        return false;
    }

    /// <summary>A tag with characters no key tag can contain is answered exactly like an unknown key.</summary>
    private static bool TryReadKeyTag(KmsCall call, out string keyTag)
    {
        keyTag = call.Route.Get("keyTag");
        if (KeyRules.IsPlausibleKeyTag(keyTag))
        {
            return true;
        }

        FailUnknownKey(call, keyTag);
        return false;
    }

    private static void FailUnknownKey(KmsCall call, string keyTag) => call.Fail(KmsErrors.NotFound, "No key with tag " + keyTag);

    private static bool TryReadPageParameter(KmsCall call, string name, int fallback, int min, int max, out int value)
    {
        string? raw = QueryString.Get(call.Request.Query, name);
        if (raw is null)
        {
            value = fallback;
            return true;
        }

        if (int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max)
        {
            return true;
        }

        string range = max == int.MaxValue ? "an integer >= " + min : "an integer " + min + "-" + max;
        call.Fail(KmsErrors.InvalidRequest, name + ": " + range);
        return false;
    }
}
