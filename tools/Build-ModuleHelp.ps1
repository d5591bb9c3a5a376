<#
.SYNOPSIS
    Builds the MAML help file of a binary module from Markdown help sources and the compiled cmdlets.

.DESCRIPTION
    Imports the module from -ManifestPath and, for every exported cmdlet, reads <SourcePath>/<Cmdlet>.md.
    Everything about parameters (names, types, parameter sets, Mandatory, Position, pipeline binding,
    aliases, ValidateSet and enum values, switches, [SupportsWildcards], defaults) comes from the compiled
    cmdlet, so the help cannot drift from the code. Only prose comes from the Markdown: synopsis,
    description, examples, parameter descriptions, inputs, outputs, notes and related links.

    Writes <module folder>/en-US/<RootModule>-Help.xml and copies every about_*.help.txt from -SourcePath
    next to it. Any problem (missing help source, undocumented or unknown parameter, fewer than two
    examples, missing section, OUTPUTS not matching [OutputType], ...) fails the run with one message that
    names each cmdlet and problem; nothing is written in that case.

    Help source format (sections exactly in this order):
        # <Cmdlet>
        ## SYNOPSIS / ## DESCRIPTION / ## EXAMPLES (### Example N: Title, a code block, then text)
        ## PARAMETERS (### -Name, then the description) / ## INPUTS (### Type or ### None)
        ## OUTPUTS (### Type or ### None) / ## NOTES (may be empty) / ## RELATED LINKS (- Name or - [Text](Uri))

.EXAMPLE
    pwsh -NoProfile -NonInteractive -File tools/Build-ModuleHelp.ps1 -ManifestPath out/NcpKms/NcpKms.psd1 -SourcePath docs/help/NcpKms
#>
[CmdletBinding()]
param(
    # The module manifest in the laid-out module folder (out/<Module>/<Module>.psd1).
    [Parameter(Mandatory)]
    [string] $ManifestPath,

    # The folder holding <Cmdlet>.md files and about_*.help.txt topics.
    [Parameter(Mandatory)]
    [string] $SourcePath
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$SectionOrder = @('SYNOPSIS', 'DESCRIPTION', 'EXAMPLES', 'PARAMETERS', 'INPUTS', 'OUTPUTS', 'NOTES', 'RELATED LINKS')

# The namespaces Get-Help's MAML reader expects (the same ones platyPS and the in-box help files use).
$Ns = @{
    Msh     = 'http://msh'
    Maml    = 'http://schemas.microsoft.com/maml/2004/10'
    Command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
    Dev     = 'http://schemas.microsoft.com/maml/dev/2004/10'
    MSHelp  = 'http://msdn.microsoft.com/mshelp'
}

# Parameters every cmdlet gets from PowerShell. Get-Help describes them itself under <CommonParameters>
# (MAML has no element for that; Get-Help adds it for every cmdlet), so the Markdown must not. WhatIf and
# Confirm are added by PowerShell too, but Get-Help shows only the parameters in the MAML, so they are
# written with this standard text unless the Markdown describes them more precisely.
$CommonParameters = [System.Management.Automation.Cmdlet]::CommonParameters
$ShouldProcessParameters = @{
    WhatIf  = 'Shows what would happen if the cmdlet runs. The cmdlet is not run and no request is sent.'
    Confirm = 'Prompts you for confirmation before running the cmdlet.'
}

#region Markdown reading

# Splits lines into headed blocks at a given heading level, ignoring '#' lines inside ``` fences
# (PowerShell comments in code blocks start with '#', too).
function Split-MarkdownBlock {
    param([string[]] $Lines, [int] $Level)
    $marker = ('#' * $Level) + ' '
    $blocks = [System.Collections.Generic.List[object]]::new()
    $current = [pscustomobject]@{ Heading = $null; Lines = [System.Collections.Generic.List[string]]::new() }
    $inFence = $false
    foreach ($line in $Lines) {
        if ($line -match '^\s*```') { $inFence = -not $inFence }
        if (-not $inFence -and $line.StartsWith($marker)) {
            $blocks.Add($current)
            $current = [pscustomobject]@{ Heading = $line.Substring($marker.Length).Trim(); Lines = [System.Collections.Generic.List[string]]::new() }
        }
        else {
            $current.Lines.Add($line)
        }
    }
    $blocks.Add($current)
    # The first block holds what precedes the first heading; callers decide whether that is allowed.
    , $blocks
}

function Test-Blank([string[]] $Lines) {
    -not ($Lines | Where-Object { $_.Trim() })
}

# Turns Markdown body lines into help paragraphs. Prose lines are joined (Get-Help wraps them to the
# console width); code blocks, lists and tables keep their line breaks because their layout is the point.
function ConvertTo-Paragraph {
    param([string[]] $Lines)
    $paragraphs = [System.Collections.Generic.List[string]]::new()
    $block = [System.Collections.Generic.List[string]]::new()
    $inFence = $false
    $flush = {
        if ($block.Count) {
            $preformatted = @($block | Where-Object { $_ -match '^\s*([-*+]\s|\d+\.\s|\|)|^    ' }).Count -gt 0
            $text = if ($preformatted) { ($block | ForEach-Object { $_.TrimEnd() }) -join "`n" } else { ($block | ForEach-Object { $_.Trim() }) -join ' ' }
            $paragraphs.Add($text)
            $block.Clear()
        }
    }
    foreach ($line in $Lines) {
        if ($line -match '^\s*```') {
            if ($inFence) {
                # A code block becomes one paragraph, verbatim: Get-Help trims the start of a paragraph,
                # so indenting it would shift only its first line.
                $paragraphs.Add(($block | ForEach-Object { $_.TrimEnd() }) -join "`n")
                $block.Clear()
            }
            else { & $flush }
            $inFence = -not $inFence
        }
        elseif ($inFence) { $block.Add($line) }
        elseif ($line.Trim()) { $block.Add($line) }
        else { & $flush }
    }
    & $flush
    , $paragraphs.ToArray()
}

# Reads one <Cmdlet>.md into an object; every format problem is added to $Problems instead of thrown, so a
# single run reports everything that is wrong.
function Read-HelpSource {
    param([string] $Path, [string] $CommandName, [System.Collections.Generic.List[string]] $Problems)
    $fail = { param($message) $Problems.Add("${CommandName}: $message ($Path)") }
    $known = $Problems.Count
    $lines = (Get-Content -LiteralPath $Path -Raw -Encoding utf8) -split '\r?\n'

    $top = Split-MarkdownBlock -Lines $lines -Level 1
    if ($top.Count -ne 2 -or -not (Test-Blank $top[0].Lines) -or $top[1].Heading -ne $CommandName) {
        & $fail "the file must start with the single title '# $CommandName'"
        return $null
    }
    $blocks = Split-MarkdownBlock -Lines $top[1].Lines -Level 2
    if (-not (Test-Blank $blocks[0].Lines)) { & $fail 'text between the title and ## SYNOPSIS' }
    $sections = [ordered]@{}
    foreach ($block in $blocks | Select-Object -Skip 1) {
        if ($block.Heading -notin $SectionOrder) { & $fail "unknown section '## $($block.Heading)'"; continue }
        if ($sections.Contains($block.Heading)) { & $fail "section '## $($block.Heading)' appears twice"; continue }
        $sections[$block.Heading] = $block.Lines.ToArray()
    }
    foreach ($name in $SectionOrder) {
        if (-not $sections.Contains($name)) { & $fail "section '## $name' is missing" }
    }
    $present = @($SectionOrder | Where-Object { $sections.Contains($_) })
    if (($present -join '|') -ne (@($sections.Keys) -join '|')) {
        & $fail "sections are out of order; expected $($SectionOrder -join ', ')"
    }
    if ($Problems.Count -gt $known) { return $null }

    $doc = [pscustomobject]@{
        Synopsis    = (ConvertTo-Paragraph $sections['SYNOPSIS']) -join ' '
        Description = ConvertTo-Paragraph $sections['DESCRIPTION']
        Examples    = [System.Collections.Generic.List[object]]::new()
        Parameters  = [ordered]@{}
        Inputs      = [System.Collections.Generic.List[object]]::new()
        Outputs     = [System.Collections.Generic.List[object]]::new()
        Notes       = ConvertTo-Paragraph $sections['NOTES']
        Links       = [System.Collections.Generic.List[object]]::new()
    }
    if (-not $doc.Synopsis) { & $fail 'the SYNOPSIS is empty' }
    if (-not $doc.Description) { & $fail 'the DESCRIPTION is empty' }

    # EXAMPLES: the first code block is the command; everything else (prose, sample output) is the remarks.
    $exampleBlocks = Split-MarkdownBlock -Lines $sections['EXAMPLES'] -Level 3
    if (-not (Test-Blank $exampleBlocks[0].Lines)) { & $fail 'text in EXAMPLES before the first ### Example heading' }
    foreach ($example in $exampleBlocks | Select-Object -Skip 1) {
        $body = $example.Lines.ToArray()
        $isFence = [Predicate[string]] { param($l) $l -match '^\s*```' }
        $open = [array]::FindIndex($body, $isFence)
        $close = if ($open -ge 0) { [array]::FindIndex($body, $open + 1, $isFence) } else { -1 }
        if ($close -lt 0) { & $fail "example '$($example.Heading)' has no code block"; continue }
        $code = if ($close -gt $open + 1) { $body[($open + 1)..($close - 1)] -join "`n" } else { '' }
        $rest = @(if ($open -gt 0) { $body[0..($open - 1)] }) + @(if ($close + 1 -lt $body.Count) { $body[($close + 1)..($body.Count - 1)] })
        $remarks = ConvertTo-Paragraph $rest
        if (-not $code.Trim()) { & $fail "example '$($example.Heading)' has an empty code block" }
        if (-not $remarks) { & $fail "example '$($example.Heading)' does not say what it does" }
        $doc.Examples.Add([pscustomobject]@{ Title = $example.Heading; Code = $code.TrimEnd(); Remarks = $remarks })
    }
    if ($doc.Examples.Count -lt 2) { & $fail "has $($doc.Examples.Count) example(s); at least two are required" }

    # PARAMETERS: '### -Name' then the description.
    $parameterBlocks = Split-MarkdownBlock -Lines $sections['PARAMETERS'] -Level 3
    if (-not (Test-Blank $parameterBlocks[0].Lines)) { & $fail 'text in PARAMETERS before the first ### -Parameter heading' }
    foreach ($parameter in $parameterBlocks | Select-Object -Skip 1) {
        if ($parameter.Heading -notmatch '^-(\w+)$') { & $fail "parameter heading '### $($parameter.Heading)' is not of the form '### -Name'"; continue }
        $name = $Matches[1]
        if ($doc.Parameters.Contains($name)) { & $fail "parameter -$name is described twice"; continue }
        $doc.Parameters[$name] = ConvertTo-Paragraph $parameter.Lines.ToArray()
    }

    # INPUTS, OUTPUTS: '### TypeName' (or '### None') then what it means.
    foreach ($kind in 'INPUTS', 'OUTPUTS') {
        $typeBlocks = Split-MarkdownBlock -Lines $sections[$kind] -Level 3
        if (-not (Test-Blank $typeBlocks[0].Lines)) { & $fail "text in $kind before the first ### TypeName heading" }
        if ($typeBlocks.Count -lt 2) { & $fail "$kind names no type; write '### None' when there is none" }
        # Assigned, not taken from an 'if' expression, which would unroll an empty list into $null.
        $list = $doc.Outputs
        if ($kind -eq 'INPUTS') { $list = $doc.Inputs }
        foreach ($type in $typeBlocks | Select-Object -Skip 1) {
            $list.Add([pscustomobject]@{ Name = $type.Heading; Description = ConvertTo-Paragraph $type.Lines.ToArray() })
        }
    }

    # RELATED LINKS: '- Name' or '- [Text](Uri)' per line.
    foreach ($line in $sections['RELATED LINKS'] | Where-Object { $_.Trim() }) {
        if ($line -match '^\s*[-*]\s+\[(?<text>[^\]]+)\]\((?<uri>[^)\s]*)\)\s*$') {
            $doc.Links.Add([pscustomobject]@{ Text = $Matches.text.Trim(); Uri = $Matches.uri })
        }
        elseif ($line -match '^\s*[-*]\s+(?<text>\S.*?)\s*$') {
            $text = $Matches.text
            $uri = if ($text -match '^https?://') { $text } else { '' }
            $doc.Links.Add([pscustomobject]@{ Text = $text; Uri = $uri })
        }
        else { & $fail "RELATED LINKS line '$($line.Trim())' is not a '- Name' or '- [Text](Uri)' list item" }
    }
    $doc
}

#endregion

#region Parameter data from the compiled cmdlet

# The name shown in <-Param <Type>>: short for framework types, namespace-qualified for the module's own
# types so that e.g. NcpKms.Context is not mistaken for something else.
function Get-TypeDisplayName([type] $Type) {
    $element = if ($Type.IsArray) { $Type.GetElementType() } else { $Type }
    $element = [Nullable]::GetUnderlyingType($element) ?? $element
    $name = if ($element.Namespace -and $element.Namespace -like 'System*') { $element.Name } else { $element.FullName }
    if ($Type.IsArray) { "$name[]" } else { $name }
}

# Values offered for a parameter: an explicit [ValidateSet] or the names of an enum type.
function Get-ParameterValueSet($Attributes, [type] $Type) {
    $set = $Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] } | Select-Object -First 1
    if ($set) { return , @($set.ValidValues) }
    $element = if ($Type.IsArray) { $Type.GetElementType() } else { $Type }
    $element = [Nullable]::GetUnderlyingType($element) ?? $element
    if ($element.IsEnum) { return , [enum]::GetNames($element) }
    , @()
}

# The default a parameter has when it is not bound, read from a fresh instance of the cmdlet class; a
# cmdlet constructor only initialises fields, so this is safe and keeps the default in one place (code).
function Get-ParameterDefault($Instance, [string] $Name) {
    if ($null -eq $Instance) { return 'None' }
    $type = $Instance.GetType()
    $member = $type.GetProperty($Name) ?? $type.GetField($Name)
    if (-not $member) { return 'None' }
    $value = $member.GetValue($Instance)
    if ($value -is [System.Management.Automation.SwitchParameter]) { return [string]$value.IsPresent }
    if ($null -eq $value -or ($value -is [string] -and -not $value) -or ($value -is [array] -and $value.Count -eq 0)) { return 'None' }
    if ($value -is [array]) { return ($value -join ', ') }
    [string]$value
}

# One record per non-common parameter, with what the syntax of each set and the parameter list need.
function Get-ParameterModel([System.Management.Automation.CommandInfo] $Command) {
    $instance = try { [Activator]::CreateInstance($Command.ImplementingType) } catch { $null }
    try { Get-ParameterRecord $Command $instance }
    finally { if ($instance -is [IDisposable]) { $instance.Dispose() } }
}

function Get-ParameterRecord([System.Management.Automation.CommandInfo] $Command, $Instance) {
    $models = [ordered]@{}
    foreach ($metadata in $Command.Parameters.Values) {
        if ($metadata.Name -in $CommonParameters -or $metadata.IsDynamic) { continue }
        $sets = @($metadata.ParameterSets.Values)
        $positions = @($sets | ForEach-Object { $_.Position } | Sort-Object -Unique)
        $byValue = @($sets | Where-Object ValueFromPipeline).Count -gt 0
        $byName = @($sets | Where-Object ValueFromPipelineByPropertyName).Count -gt 0
        $models[$metadata.Name] = [pscustomobject]@{
            Name           = $metadata.Name
            Type           = $metadata.ParameterType
            TypeName       = Get-TypeDisplayName $metadata.ParameterType
            IsSwitch       = $metadata.SwitchParameter
            Required       = @($sets | Where-Object { -not $_.IsMandatory }).Count -eq 0
            Position       = if ($positions.Count -eq 1 -and $positions[0] -ge 0) { [string]$positions[0] } else { 'named' }
            PipelineInput  = Format-PipelineInput $byValue $byName
            Aliases        = @($metadata.Aliases)
            Globbing       = @($metadata.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] }).Count -gt 0
            VariableLength = $metadata.ParameterType.IsArray
            Values         = Get-ParameterValueSet $metadata.Attributes $metadata.ParameterType
            Default        = if (@($sets | Where-Object IsMandatory).Count -eq $sets.Count) { 'None' } else { Get-ParameterDefault $Instance $metadata.Name }
        }
    }
    $models
}

function Format-PipelineInput([bool] $ByValue, [bool] $ByPropertyName) {
    $how = @(if ($ByValue) { 'ByValue' }; if ($ByPropertyName) { 'ByPropertyName' })
    if ($how) { "True ($($how -join ', '))" } else { 'False' }
}

# Parameters of one set in the order Get-Command -Syntax uses: positional by position, then mandatory
# named, then optional named; common parameters are left to Get-Help's [<CommonParameters>].
function Get-SyntaxParameter([System.Management.Automation.CommandParameterSetInfo] $Set) {
    $own = @($Set.Parameters | Where-Object { $_.Name -notin $CommonParameters })
    $positional = @($own | Where-Object { $_.Position -ge 0 } | Sort-Object Position)
    $mandatory = @($own | Where-Object { $_.Position -lt 0 -and $_.IsMandatory })
    $optional = @($own | Where-Object { $_.Position -lt 0 -and -not $_.IsMandatory })
    $positional + $mandatory + $optional
}

#endregion

#region Checks

# Compares type names by full or short name (an md may say System.String or String).
function Test-TypeName([string] $Written, [type] $Type) {
    $element = if ($Type.IsArray) { $Type.GetElementType() } else { $Type }
    $Written -in @($Type.FullName, $Type.Name, $element.FullName, $element.Name)
}

function Test-CommandHelp($Command, $Doc, $Parameters, [System.Collections.Generic.List[string]] $Problems) {
    $name = $Command.Name
    foreach ($parameter in $Parameters.Values) {
        if ($ShouldProcessParameters.Contains($parameter.Name)) { continue }
        if (-not $Doc.Parameters.Contains($parameter.Name)) { $Problems.Add("${name}: parameter -$($parameter.Name) has no description") }
        elseif (-not $Doc.Parameters[$parameter.Name]) { $Problems.Add("${name}: parameter -$($parameter.Name) has an empty description") }
    }
    foreach ($described in $Doc.Parameters.Keys) {
        if ($described -in $CommonParameters) { $Problems.Add("${name}: -$described is a common parameter; Get-Help documents it, the help source must not") }
        elseif (-not $Parameters.Contains($described)) { $Problems.Add("${name}: the help source describes -$described, which the cmdlet does not have") }
    }

    # OUTPUTS must name exactly the [OutputType] types, so the help cannot promise another type than the code.
    # [OutputType(typeof(void))] is how a cmdlet says it writes nothing; the help calls that None.
    $declared = @($Command.OutputType | ForEach-Object Name | Where-Object { $_ -ne 'System.Void' } | Sort-Object -Unique)
    $written = @($Doc.Outputs | ForEach-Object Name | Where-Object { $_ -ne 'None' } | Sort-Object -Unique)
    if (($declared -join ', ') -ne ($written -join ', ')) {
        $inCode = if ($declared) { $declared -join ', ' } else { 'no type' }
        $inDoc = if ($written) { $written -join ', ' } else { 'None' }
        $Problems.Add("${name}: OUTPUTS lists '$inDoc' but [OutputType] declares '$inCode'")
    }
    if (-not $declared -and @($Doc.Outputs | Where-Object Name -EQ 'None').Count -eq 0) {
        $Problems.Add("${name}: the cmdlet declares no [OutputType]; OUTPUTS must say '### None'")
    }

    # INPUTS must name the type of every parameter that takes pipeline input by value.
    $byValue = @($Parameters.Values | Where-Object { $_.PipelineInput -like '*ByValue*' })
    foreach ($parameter in $byValue) {
        if (-not ($Doc.Inputs | Where-Object { Test-TypeName $_.Name $parameter.Type })) {
            $Problems.Add("${name}: -$($parameter.Name) takes pipeline input of type $($parameter.Type.FullName), which INPUTS does not list")
        }
    }
    $piped = @($Parameters.Values | Where-Object { $_.PipelineInput -ne 'False' })
    if (-not $piped -and @($Doc.Inputs | Where-Object Name -NE 'None').Count) {
        $Problems.Add("${name}: INPUTS lists a type but no parameter takes pipeline input; write '### None'")
    }
}

#endregion

#region MAML writing

function Write-Para([System.Xml.XmlWriter] $W, [string[]] $Paragraphs) {
    if (-not $Paragraphs) { $Paragraphs = @('') }
    foreach ($p in $Paragraphs) { $W.WriteElementString('maml', 'para', $Ns.Maml, $p) }
}

function Write-Description([System.Xml.XmlWriter] $W, [string[]] $Paragraphs) {
    $W.WriteStartElement('maml', 'description', $Ns.Maml)
    Write-Para $W $Paragraphs
    $W.WriteEndElement()
}

function Write-DevType([System.Xml.XmlWriter] $W, [string] $Name) {
    $W.WriteStartElement('dev', 'type', $Ns.Dev)
    $W.WriteElementString('maml', 'name', $Ns.Maml, $Name)
    $W.WriteElementString('maml', 'uri', $Ns.Maml, '')
    $W.WriteEndElement()
}

# One <command:parameter>; the syntax and the parameter list use the same shape, the list adds the text.
function Write-Parameter {
    param([System.Xml.XmlWriter] $W, $Model, [bool] $Required, [string] $Position, [string] $PipelineInput, [string[]] $Description, [switch] $InSyntax)
    $W.WriteStartElement('command', 'parameter', $Ns.Command)
    $W.WriteAttributeString('required', $Required.ToString().ToLowerInvariant())
    $W.WriteAttributeString('variableLength', $Model.VariableLength.ToString().ToLowerInvariant())
    $W.WriteAttributeString('globbing', $Model.Globbing.ToString().ToLowerInvariant())
    $W.WriteAttributeString('pipelineInput', $PipelineInput)
    $W.WriteAttributeString('position', $Position)
    $W.WriteAttributeString('aliases', $(if ($Model.Aliases) { $Model.Aliases -join ', ' } else { 'none' }))
    $W.WriteElementString('maml', 'name', $Ns.Maml, $Model.Name)
    if (-not $InSyntax) { Write-Description $W $Description }
    if ($Model.Values.Count) {
        $W.WriteStartElement('command', 'parameterValueGroup', $Ns.Command)
        foreach ($value in $Model.Values) {
            $W.WriteStartElement('command', 'parameterValue', $Ns.Command)
            $W.WriteAttributeString('required', 'false')
            $W.WriteAttributeString('command', 'variableLength', $Ns.Command, 'false')
            $W.WriteString($value)
            $W.WriteEndElement()
        }
        $W.WriteEndElement()
    }
    if (-not $Model.IsSwitch) {
        $W.WriteStartElement('command', 'parameterValue', $Ns.Command)
        $W.WriteAttributeString('required', 'true')
        $W.WriteAttributeString('variableLength', $Model.VariableLength.ToString().ToLowerInvariant())
        $W.WriteString($Model.TypeName)
        $W.WriteEndElement()
    }
    Write-DevType $W $Model.Type.FullName
    $W.WriteElementString('dev', 'defaultValue', $Ns.Dev, $Model.Default)
    $W.WriteEndElement()
}

# Syntax: one item per parameter set (default set first), each parameter as it is in that set.
function Write-Syntax([System.Xml.XmlWriter] $W, $Command, $Parameters) {
    $W.WriteStartElement('command', 'syntax', $Ns.Command)
    foreach ($set in @($Command.ParameterSets | Sort-Object { -not $_.IsDefault }, Name)) {
        $W.WriteStartElement('command', 'syntaxItem', $Ns.Command)
        $W.WriteElementString('maml', 'name', $Ns.Maml, $Command.Name)
        foreach ($p in Get-SyntaxParameter $set) {
            $position = if ($p.Position -ge 0) { [string]$p.Position } else { 'named' }
            $pipeline = Format-PipelineInput $p.ValueFromPipeline $p.ValueFromPipelineByPropertyName
            Write-Parameter -W $W -Model $Parameters[$p.Name] -Required $p.IsMandatory -Position $position -PipelineInput $pipeline -InSyntax
        }
        $W.WriteEndElement()
    }
    $W.WriteEndElement()
}

# Parameter list in the order the help source gives (authors group related parameters), then WhatIf and
# Confirm with their standard text when the source does not describe them.
function Write-ParameterList([System.Xml.XmlWriter] $W, $Doc, $Parameters) {
    $W.WriteStartElement('command', 'parameters', $Ns.Command)
    $ordered = @($Doc.Parameters.Keys | Where-Object { $Parameters.Contains($_) }) +
        @($Parameters.Keys | Where-Object { -not $Doc.Parameters.Contains($_) })
    foreach ($name in $ordered) {
        $model = $Parameters[$name]
        $text = if ($Doc.Parameters.Contains($name)) { $Doc.Parameters[$name] } else { @($ShouldProcessParameters[$name]) }
        Write-Parameter -W $W -Model $model -Required $model.Required -Position $model.Position -PipelineInput $model.PipelineInput -Description $text
    }
    $W.WriteEndElement()
}

# INPUTS (inputTypes/inputType) and OUTPUTS (returnValues/returnValue) share one shape.
function Write-TypeList([System.Xml.XmlWriter] $W, [string] $ListName, [string] $ItemName, $Types) {
    $W.WriteStartElement('command', $ListName, $Ns.Command)
    foreach ($type in $Types) {
        $W.WriteStartElement('command', $ItemName, $Ns.Command)
        Write-DevType $W $type.Name
        Write-Description $W $type.Description
        $W.WriteEndElement()
    }
    $W.WriteEndElement()
}

function Write-Notes([System.Xml.XmlWriter] $W, [string[]] $Notes) {
    # NOTES may be empty; an empty alertSet would print an empty NOTES heading, so it is left out.
    if (-not $Notes) { return }
    $W.WriteStartElement('maml', 'alertSet', $Ns.Maml)
    $W.WriteStartElement('maml', 'alert', $Ns.Maml)
    Write-Para $W $Notes
    $W.WriteEndElement()
    $W.WriteEndElement()
}

function Write-Examples([System.Xml.XmlWriter] $W, $Examples) {
    $W.WriteStartElement('command', 'examples', $Ns.Command)
    foreach ($example in $Examples) {
        $W.WriteStartElement('command', 'example', $Ns.Command)
        $W.WriteElementString('maml', 'title', $Ns.Maml, "--------- $($example.Title) ---------")
        $W.WriteElementString('dev', 'code', $Ns.Dev, $example.Code)
        $W.WriteStartElement('dev', 'remarks', $Ns.Dev)
        # The trailing empty paragraph puts a blank line between one example's text and the next title.
        Write-Para $W (@($example.Remarks) + '')
        $W.WriteEndElement()
        $W.WriteEndElement()
    }
    $W.WriteEndElement()
}

function Write-RelatedLinks([System.Xml.XmlWriter] $W, $Links) {
    $W.WriteStartElement('command', 'relatedLinks', $Ns.Command)
    foreach ($link in $Links) {
        $W.WriteStartElement('maml', 'navigationLink', $Ns.Maml)
        $W.WriteElementString('maml', 'linkText', $Ns.Maml, $link.Text)
        $W.WriteElementString('maml', 'uri', $Ns.Maml, $link.Uri)
        $W.WriteEndElement()
    }
    $W.WriteEndElement()
}

# One <command:command>, its parts in the order Get-Help and platyPS-built files use.
function Write-CommandHelp([System.Xml.XmlWriter] $W, $Command, $Doc, $Parameters) {
    $W.WriteStartElement('command', 'command', $Ns.Command)
    foreach ($prefix in 'maml', 'command', 'dev', 'MSHelp') {
        $W.WriteAttributeString('xmlns', $prefix, $null, $Ns[$prefix])
    }
    $W.WriteStartElement('command', 'details', $Ns.Command)
    $W.WriteElementString('command', 'name', $Ns.Command, $Command.Name)
    $W.WriteElementString('command', 'verb', $Ns.Command, $Command.Verb)
    $W.WriteElementString('command', 'noun', $Ns.Command, $Command.Noun)
    Write-Description $W @($Doc.Synopsis)
    $W.WriteEndElement()
    Write-Description $W $Doc.Description
    Write-Syntax $W $Command $Parameters
    Write-ParameterList $W $Doc $Parameters
    Write-TypeList $W 'inputTypes' 'inputType' $Doc.Inputs
    Write-TypeList $W 'returnValues' 'returnValue' $Doc.Outputs
    Write-Notes $W $Doc.Notes
    Write-Examples $W $Doc.Examples
    Write-RelatedLinks $W $Doc.Links
    $W.WriteEndElement()
}

function Write-MamlFile([string] $Path, $Entries) {
    $settings = [System.Xml.XmlWriterSettings]::new()
    $settings.Indent = $true
    $settings.IndentChars = '  '
    $settings.Encoding = [System.Text.UTF8Encoding]::new($false)
    $settings.NewLineChars = "`n"
    # Keep newlines inside code and paragraphs exactly as written (no entitising, no normalising).
    $settings.NewLineHandling = [System.Xml.NewLineHandling]::None
    $writer = [System.Xml.XmlWriter]::Create($Path, $settings)
    try {
        $writer.WriteStartDocument()
        $writer.WriteStartElement('helpItems', $Ns.Msh)
        $writer.WriteAttributeString('schema', 'maml')
        foreach ($entry in $Entries) { Write-CommandHelp $writer $entry.Command $entry.Doc $entry.Parameters }
        $writer.WriteEndElement()
        $writer.WriteEndDocument()
    }
    finally { $writer.Dispose() }
}

#endregion

#region Main

$ManifestPath = (Resolve-Path -LiteralPath $ManifestPath).ProviderPath
$SourcePath = (Resolve-Path -LiteralPath $SourcePath).ProviderPath
$module = Import-Module $ManifestPath -PassThru -Force
$moduleFolder = Split-Path $ManifestPath -Parent
$rootModule = (Import-PowerShellDataFile -LiteralPath $ManifestPath).RootModule
if (-not $rootModule) { throw "$ManifestPath has no RootModule; the help file is named after it." }

$problems = [System.Collections.Generic.List[string]]::new()
$entries = [System.Collections.Generic.List[object]]::new()
$cmdlets = @($module.ExportedCmdlets.Values | Sort-Object Name)
if (-not $cmdlets) { $problems.Add("$($module.Name): the module exports no cmdlets") }

foreach ($command in $cmdlets) {
    $source = Join-Path $SourcePath "$($command.Name).md"
    if (-not (Test-Path -LiteralPath $source)) { $problems.Add("$($command.Name): no help source $source"); continue }
    $doc = Read-HelpSource -Path $source -CommandName $command.Name -Problems $problems
    if (-not $doc) { continue }
    $parameters = Get-ParameterModel $command
    Test-CommandHelp $command $doc $parameters $problems
    $entries.Add([pscustomobject]@{ Command = $command; Doc = $doc; Parameters = $parameters })
}

# A help source without a cmdlet is usually a renamed or removed cmdlet whose help would silently go stale.
foreach ($file in Get-ChildItem -LiteralPath $SourcePath -Filter '*.md' -File) {
    if ($file.BaseName -ne 'README' -and $file.BaseName -notin $cmdlets.Name) {
        $problems.Add("$($file.BaseName): help source $($file.FullName) matches no cmdlet exported by $($module.Name)")
    }
}

if ($problems.Count) {
    # The list is written as plain lines: a thrown message is rendered with source context and wrapped to
    # the console width, which garbles a list in build logs. The throw then makes the exit code 1.
    Write-Host ("Help for $($module.Name) is incomplete:`n  " + ($problems -join "`n  "))
    throw "Help for $($module.Name) is incomplete: $($problems.Count) problem(s), listed above."
}

$helpFolder = Join-Path $moduleFolder 'en-US'
$null = New-Item -ItemType Directory -Path $helpFolder -Force
$helpFile = Join-Path $helpFolder "$(Split-Path $rootModule -Leaf)-Help.xml"
Write-MamlFile -Path $helpFile -Entries $entries
$topics = @(Get-ChildItem -LiteralPath $SourcePath -Filter 'about_*.help.txt' -File)
foreach ($topic in $topics) { Copy-Item -LiteralPath $topic.FullName -Destination $helpFolder -Force }
Write-Host "Wrote $helpFile ($($entries.Count) cmdlets) and $($topics.Count) about topic(s)"

#endregion
