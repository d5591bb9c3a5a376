using System;

namespace NcpKms.Emulator.State;

/// <summary>
/// One entry of a key's activity log (reference §8.7.1): who called which API on the key, how, and with what
/// result. The key name is the one the key had at the time of the call.
/// </summary>
internal sealed record ActivityRecord(
    long Timestamp,
    string KeyTag,
    string KeyName,
    string RequestorId,
    string Ip,
    string Action,
    string AuthType,
    bool Succeeded,
    string Message);
