using System;
using System.Buffers;
using System.IO;
using System.Threading;

namespace NcpKms.Emulator.State;

/// <summary>
/// Keeps a keystore in a file between runs (Start-NcpKmsEmulator -StatePath). Every change is written when
/// the request that made it is answered: the file is written whole to a temporary file beside it, then renamed
/// over it, so a reader or a crash never sees half a file. On Unix the file is created readable and writable
/// by its owner only, as it holds key material.
/// </summary>
internal sealed class StateFile
{
    private readonly object _gate = new();
    private readonly KmsStore _store;
    private readonly byte[] _tokenSigningKey;
    private long _savedRevision = -1;

    public StateFile(string path, KmsStore store, byte[] tokenSigningKey)
    {
        Path = path;
        _store = store;
        _tokenSigningKey = tokenSigningKey;
    }

    public string Path { get; }

    /// <summary>The saved state, or null when there is no file yet.</summary>
    /// <exception cref="InvalidDataException">The file is not a state file this emulator reads.</exception>
    /// <exception cref="IOException">The file exists but cannot be read.</exception>
    public static SavedState? Read(string path, Func<string, KeyMaterial> newMaterial)
    {
        byte[] json;
        try
        {
            json = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }

        return StateJson.Read(json, newMaterial);
    }

    /// <summary>
    /// Writes the file when the store changed since the last write. Concurrent callers write once: whoever
    /// takes the lock writes the latest snapshot, the others then find nothing new. A failed write is retried
    /// by the next call.
    /// </summary>
    /// <exception cref="IOException">The file cannot be written.</exception>
    /// <exception cref="UnauthorizedAccessException">The file or its folder is not writable.</exception>
    public void SaveIfChanged()
    {
        if (_store.Revision == Interlocked.Read(ref _savedRevision))
        {
            return;
        }

        lock (_gate)
        {
            // Read before the snapshot, so every change this revision counts is in what is written.
            long revision = _store.Revision;
            if (revision == _savedRevision)
            {
                return;
            }

            var json = new ArrayBufferWriter<byte>();
            StateJson.Write(json, _store.Snapshot(), _tokenSigningKey);
            Replace(json.WrittenSpan);
            Interlocked.Exchange(ref _savedRevision, revision);
        }
    }

    private void Replace(ReadOnlySpan<byte> content)
    {
        string temporary = Path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            using (var stream = new FileStream(temporary, OwnerOnly()))
            {
                stream.Write(content);
            }

            File.Move(temporary, Path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    private static FileStreamOptions OwnerOnly()
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return options;
    }
}
