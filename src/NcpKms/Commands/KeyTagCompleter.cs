using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using NcpKms.Core;

namespace NcpKms.Commands;

/// <summary>
/// Completes -KeyTag from the key list of the context the command would use (its -Context, the session,
/// or environment variables and the configure file: nothing that could prompt). A key tag matches when
/// it, or the key's name, starts with what was typed; the tooltip shows the name, type and status.
/// A keystroke never waits more than a second for the list.
/// </summary>
public sealed class KeyTagCompleter : IArgumentCompleter
{
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(1);

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        Context? context = ContextFor(fakeBoundParameters);
        IReadOnlyList<Key>? keys = context is null ? null : KeyListCache.Get(context.Connection, MaxWait);
        if (keys is null) return Array.Empty<CompletionResult>();

        string typed = wordToComplete.Trim('\'', '"');
        return keys
            .Where(key => key.KeyTag.StartsWith(typed, StringComparison.OrdinalIgnoreCase)
                || (key.KeyName?.StartsWith(typed, StringComparison.OrdinalIgnoreCase) ?? false))
            .OrderBy(key => key.KeyName, StringComparer.OrdinalIgnoreCase)
            .Select(key => new CompletionResult(key.KeyTag, $"{key.KeyTag} ({key.KeyName})", CompletionResultType.ParameterValue,
                $"{key.KeyName} ({key.KeyType}, {key.Status})"))
            .ToArray();
    }

    private static Context? ContextFor(IDictionary fakeBoundParameters)
    {
        object? given = fakeBoundParameters.Contains("Context") ? fakeBoundParameters["Context"] : null;
        try
        {
            return ContextResolver.Resolve((given is PSObject wrapped ? wrapped.BaseObject : given) as Context, _ => { });
        }
        catch (KmsException)
        {
            // No credentials, a half-set environment or a missing profile: completion offers nothing rather than an error.
            return null;
        }
    }
}
