using System;
using System.IO;
using System.Management.Automation;
using System.Text;
using NcpKms.Core;

namespace NcpKms.Commands;

/// <summary>Get Public Key: POST /kms/v1/keys/{keyTag}/get-pub-key; writes the key, or saves it as a PEM file.</summary>
[Cmdlet(VerbsCommon.Get, "NcpKmsPublicKey", DefaultParameterSetName = ObjectSet)]
[OutputType(typeof(PublicKeyInfo), ParameterSetName = [ObjectSet])]
[OutputType(typeof(FileInfo), ParameterSetName = [OutFileSet])]
public sealed class GetNcpKmsPublicKey : NcpKmsCryptoCmdlet
{
    private const string ObjectSet = "Object";
    private const string OutFileSet = "OutFile";

    private string? _outPath;

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(KeyTagCompleter))]
    [AllowEmptyString]
    public string KeyTag { get; set; } = string.Empty;

    /// <summary>By property name from key versions and rotations (Version) and from signatures (KeyVersion).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("KeyVersion")]
    [ValidateRange(1, 100)]
    public int? Version { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = OutFileSet)]
    [ValidateNotNullOrEmpty]
    public string? OutFile { get; set; }

    [Parameter(ParameterSetName = OutFileSet)]
    public SwitchParameter Force { get; set; }

    /// <summary>The path is the same for every item, so a bad one ends the pipeline before any request.</summary>
    protected override void BeginProcessing()
    {
        if (OutFile is null) return;
        string path;
        try
        {
            path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(OutFile, out ProviderInfo provider, out _);
            if (provider.Name != "FileSystem") throw new ArgumentException($"-OutFile must be a file system path, not a {provider.Name} path.");
        }
        catch (Exception exception) when (exception is ArgumentException or NotSupportedException or ProviderNotFoundException or System.Management.Automation.DriveNotFoundException)
        {
            ThrowTerminatingError(new ErrorRecord(exception, ErrorRecords.IdPrefix + "InvalidOutFile", ErrorCategory.InvalidArgument, OutFile));
            return;
        }

        if (Directory.Exists(path) || !Directory.Exists(Path.GetDirectoryName(path)))
        {
            string problem = Directory.Exists(path) ? "is a folder" : "is in a folder that does not exist";
            ThrowTerminatingError(new ErrorRecord(new IOException($"-OutFile '{path}' {problem}. No request was sent."),
                ErrorRecords.IdPrefix + "InvalidOutFile", ErrorCategory.InvalidArgument, OutFile));
        }

        _outPath = path;
    }

    protected override void ProcessRecord() => ProcessItem(KeyTag, () =>
    {
        if (_outPath is not null && !Force && File.Exists(_outPath))
        {
            WriteError(FileExists(_outPath));
            return;
        }

        string? keyType = CheckKeyType(KeyTag, KmsKeyUse.Signing);
        WriteVerbose($"Getting the public key of {(Version is null ? "the current version" : $"version {Version}")} of {DescribeKey(KeyTag, keyType)}.");
        PublicKeyInfo publicKey = Call((connection, token) => connection.GetPublicKeyAsync(KeyTag, Version, token));
        if (_outPath is null) WriteObject(publicKey);
        else WritePemFile(_outPath, publicKey.PublicKey);
    });

    /// <summary>
    /// Writes the PEM as UTF-8 without a byte order mark (PEM is ASCII), ending in a line break as PEM tools
    /// expect. Without -Force the file is created only if it still does not exist, so nothing is overwritten
    /// even if another process made it since the check.
    /// </summary>
    private void WritePemFile(string path, string pem)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(pem.EndsWith('\n') ? pem : pem + "\n");
        try
        {
            using (var stream = new FileStream(path, Force ? FileMode.Create : FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(bytes);
            }

            WriteVerbose($"Wrote the public key of key '{KeyTag}' to '{path}' ({bytes.Length} bytes).");
            WriteObject(new FileInfo(path));
        }
        catch (IOException) when (!Force && File.Exists(path))
        {
            WriteError(FileExists(path));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            WriteError(new ErrorRecord(exception, ErrorRecords.IdPrefix + "OutFileFailed", ErrorCategory.WriteError, path));
        }
    }

    private static ErrorRecord FileExists(string path) =>
        new(new IOException($"The file '{path}' already exists. Give -Force to overwrite it, or choose another -OutFile."),
            ErrorRecords.IdPrefix + "OutFileExists", ErrorCategory.ResourceExists, path);
}
