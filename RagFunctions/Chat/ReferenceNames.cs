using System.Text.RegularExpressions;

namespace RagFunctions.Chat;

/// <summary>
/// Names as reference pages head their entries and readers type them: a flag ("--cache", "--bail[=&lt;n&gt;]"), a
/// dotted name ("jest.fn(implementation)", ".toBeCloseTo(number, numDigits?)"), a snake_case or camelCase name
/// ("JEST_WORKER_ID", "testEnvironment [string]"), not a product's name ("ESLint"). Lower-case, without a leading dot or
/// what follows the name.
/// </summary>
internal static partial class ReferenceNames
{
    /// <summary>The name a heading opens with, or null when it opens with a plain word ("Install", "Exit codes").</summary>
    public static string? Heading(string heading)
        => HeadingName().Match(heading.Trim().Trim('`').TrimStart('.')) is { Success: true } match && IsName(match.Value)
            ? match.Value.ToLowerInvariant()
            : null;

    /// <summary>The names a question uses ("What does the --cache flag do?" → "--cache").</summary>
    public static IReadOnlySet<string> In(string question)
        => QuestionName().Matches(question).Select(m => m.Value.TrimStart('.')).Where(IsName).Select(n => n.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);

    /// <summary>A flag, a dotted or snake_case name, or camelCase ("testEnvironment"); not a product's PascalCase ("ESLint", "OpenAI").</summary>
    private static bool IsName(string word)
        => word.StartsWith('-') || word.Any(c => c is '.' or '_') || char.IsLower(word[0]) && word.Skip(1).Any(char.IsUpper);

    [GeneratedRegex(@"^(?:--?[A-Za-z][\w-]*|[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)")]
    private static partial Regex HeadingName();

    [GeneratedRegex(@"(?<![\w-])(?:--?[A-Za-z][\w-]*|\.?[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)")]
    private static partial Regex QuestionName();
}
