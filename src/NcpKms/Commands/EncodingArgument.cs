using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Text;

namespace NcpKms.Commands;

/// <summary>
/// Lets -Encoding take an Encoding, a name ("utf8", "utf8NoBOM", "unicode", "ascii", "latin1", or any
/// name Encoding.GetEncoding knows) or a code page, as PowerShell's own cmdlets do.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class EncodingTransformationAttribute : ArgumentTransformationAttribute
{
    internal static readonly IReadOnlyDictionary<string, Encoding> Named = new Dictionary<string, Encoding>(StringComparer.OrdinalIgnoreCase)
    {
        // No byte order mark: the bytes encrypted are the text, nothing more.
        ["utf8"] = new UTF8Encoding(false),
        ["utf8NoBOM"] = new UTF8Encoding(false),
        ["unicode"] = new UnicodeEncoding(false, false),
        ["bigendianunicode"] = new UnicodeEncoding(true, false),
        ["utf32"] = new UTF32Encoding(false, false),
        ["ascii"] = Encoding.ASCII,
        ["latin1"] = Encoding.Latin1,
    };

    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        object value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        try
        {
            return value switch
            {
                Encoding encoding => encoding,
                string name when Named.TryGetValue(name, out Encoding? known) => known,
                string name => Encoding.GetEncoding(name),
                int codePage => Encoding.GetEncoding(codePage),
                _ => throw new ArgumentTransformationMetadataException($"-Encoding takes an Encoding, an encoding name or a code page, not a {value.GetType().FullName}."),
            };
        }
        catch (Exception exception) when (exception is ArgumentException or NotSupportedException)
        {
            throw new ArgumentTransformationMetadataException(
                $"'{value}' is not an encoding: use one of {string.Join(", ", Named.Keys)}, another .NET encoding name, or a code page.", exception);
        }
    }
}

/// <summary>Completes -Encoding with the short names the transformation knows.</summary>
public sealed class EncodingCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        EncodingTransformationAttribute.Named.Keys
            .Where(name => name.StartsWith(wordToComplete.Trim('\'', '"'), StringComparison.OrdinalIgnoreCase))
            .Select(name => new CompletionResult(name, name, CompletionResultType.ParameterValue, name));
}
