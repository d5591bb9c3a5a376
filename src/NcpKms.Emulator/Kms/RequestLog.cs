using System;
using System.Collections.Generic;
using System.Linq;

namespace NcpKms.Emulator.Kms;

/// <summary>
/// The emulator's request log, in the order responses were decided. Bounded so a long benchmark cannot grow
/// it without limit: past <see cref="Capacity"/> entries the oldest are discarded.
/// </summary>
internal sealed class RequestLog
{
    public const int Capacity = 100_000;

    private readonly object _gate = new();
    private readonly Queue<EmulatorRequest> _entries = new();

    public void Add(EmulatorRequest entry)
    {
        lock (_gate)
        {
            if (_entries.Count == Capacity)
            {
                _entries.Dequeue();
            }

            _entries.Enqueue(entry);
        }
    }

    public EmulatorRequest[] Snapshot()
    {
        lock (_gate)
        {
            return _entries.ToArray();
        }
    }
}
