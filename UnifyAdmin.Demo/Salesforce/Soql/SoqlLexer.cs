using System.Globalization;
using System.Text;

namespace UnifyAdmin.Demo.Salesforce.Soql;

internal enum SoqlTokenKind
{
    Identifier,
    String,
    Number,
    Date,
    DateTime,
    Comma,
    Dot,
    OpenParen,
    CloseParen,
    Operator,
    End,
}

internal readonly record struct SoqlToken(SoqlTokenKind Kind, string Text, int Position, object? Value = null)
{
    public bool IsKeyword(string keyword) => Kind == SoqlTokenKind.Identifier && Text.Equals(keyword, StringComparison.OrdinalIgnoreCase);
}

/// <summary>Splits SOQL text into tokens; date and datetime literals are recognised here because they are unquoted.</summary>
internal static class SoqlLexer
{
    public static List<SoqlToken> Tokenize(string text)
    {
        var tokens = new List<SoqlToken>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            var start = i;
            switch (c)
            {
                case ',':
                    tokens.Add(new SoqlToken(SoqlTokenKind.Comma, ",", start));
                    i++;
                    continue;
                case '.':
                    tokens.Add(new SoqlToken(SoqlTokenKind.Dot, ".", start));
                    i++;
                    continue;
                case '(':
                    tokens.Add(new SoqlToken(SoqlTokenKind.OpenParen, "(", start));
                    i++;
                    continue;
                case ')':
                    tokens.Add(new SoqlToken(SoqlTokenKind.CloseParen, ")", start));
                    i++;
                    continue;
                case '=':
                    tokens.Add(new SoqlToken(SoqlTokenKind.Operator, "=", start));
                    i++;
                    continue;
                case '!':
                    if (i + 1 < text.Length && text[i + 1] == '=')
                    {
                        tokens.Add(new SoqlToken(SoqlTokenKind.Operator, "!=", start));
                        i += 2;
                        continue;
                    }

                    throw Unexpected(text, start);
                case '<':
                    if (i + 1 < text.Length && (text[i + 1] == '=' || text[i + 1] == '>'))
                    {
                        tokens.Add(new SoqlToken(SoqlTokenKind.Operator, text.Substring(i, 2), start));
                        i += 2;
                        continue;
                    }

                    tokens.Add(new SoqlToken(SoqlTokenKind.Operator, "<", start));
                    i++;
                    continue;
                case '>':
                    if (i + 1 < text.Length && text[i + 1] == '=')
                    {
                        tokens.Add(new SoqlToken(SoqlTokenKind.Operator, ">=", start));
                        i += 2;
                        continue;
                    }

                    tokens.Add(new SoqlToken(SoqlTokenKind.Operator, ">", start));
                    i++;
                    continue;
                case '\'':
                    tokens.Add(ReadString(text, ref i));
                    continue;
                case ':':
                    throw SoqlException.Malformed(
                        $"Date literals with a number (such as 'LAST_N_DAYS:n') and bind variables are not supported by the demo org (column {start + 1})");
            }

            if (char.IsDigit(c) || ((c == '-' || c == '+') && i + 1 < text.Length && (char.IsDigit(text[i + 1]) || text[i + 1] == '.')))
            {
                tokens.Add(ReadNumberOrDate(text, ref i));
                continue;
            }

            if (char.IsLetter(c) || c == '_')
            {
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_'))
                {
                    i++;
                }

                tokens.Add(new SoqlToken(SoqlTokenKind.Identifier, text[start..i], start));
                continue;
            }

            throw Unexpected(text, start);
        }

        tokens.Add(new SoqlToken(SoqlTokenKind.End, "", text.Length));
        return tokens;
    }

    private static SoqlException Unexpected(string text, int position) =>
        SoqlException.Malformed($"unexpected token: '{text[position]}' at column {position + 1}");

    private static SoqlToken ReadString(string text, ref int i)
    {
        var start = i;
        i++;
        var value = new StringBuilder();
        while (true)
        {
            if (i >= text.Length)
            {
                throw SoqlException.Malformed($"unterminated string literal starting at column {start + 1}");
            }

            var c = text[i];
            if (c == '\'')
            {
                i++;
                return new SoqlToken(SoqlTokenKind.String, text[start..i], start, value.ToString());
            }

            if (c == '\\')
            {
                if (i + 1 >= text.Length)
                {
                    throw SoqlException.Malformed($"unterminated string literal starting at column {start + 1}");
                }

                var escaped = text[i + 1];
                value.Append(escaped switch
                {
                    'n' => '\n',
                    'r' => '\r',
                    't' => '\t',
                    'b' => '\b',
                    'f' => '\f',
                    // LIKE reads \% and \_ from the raw token text; elsewhere they stand for themselves.
                    '\'' or '"' or '\\' or '%' or '_' => escaped,
                    _ => throw SoqlException.Malformed($"Invalid string literal '{text[start..Math.Min(text.Length, i + 2)]}'. Illegal character sequence '\\{escaped}' in string literal."),
                });
                i += 2;
                continue;
            }

            value.Append(c);
            i++;
        }
    }

    private static SoqlToken ReadNumberOrDate(string text, ref int i)
    {
        var start = i;
        // Date literals are yyyy-MM-dd, optionally followed by a time and a zone.
        if (i + 10 <= text.Length && IsDigits(text, i, 4) && text[i + 4] == '-' && IsDigits(text, i + 5, 2) && text[i + 7] == '-' && IsDigits(text, i + 8, 2))
        {
            i += 10;
            if (i < text.Length && text[i] == 'T')
            {
                i++;
                while (i < text.Length && (char.IsDigit(text[i]) || text[i] is ':' or '.' or '+' or '-' or 'Z' or 'z'))
                {
                    i++;
                }

                var literal = text[start..i];
                if (!TryParseDateTime(literal, out var value))
                {
                    throw SoqlException.Malformed($"line 1:{start} no viable alternative at character ' ' : invalid datetime literal '{literal}'");
                }

                return new SoqlToken(SoqlTokenKind.DateTime, literal, start, value);
            }

            var dateText = text[start..i];
            if (!DateOnly.TryParseExact(dateText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                throw SoqlException.Malformed($"invalid date literal '{dateText}'");
            }

            return new SoqlToken(SoqlTokenKind.Date, dateText, start, date);
        }

        if (text[i] is '-' or '+')
        {
            i++;
        }

        while (i < text.Length && (char.IsDigit(text[i]) || text[i] == '.'))
        {
            i++;
        }

        var numberText = text[start..i];
        if (i < text.Length && (char.IsLetter(text[i]) || text[i] == '_'))
        {
            throw SoqlException.Malformed($"unexpected token: '{numberText}{text[i]}' at column {start + 1}");
        }

        if (!decimal.TryParse(numberText, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            throw SoqlException.Malformed($"invalid number literal '{numberText}'");
        }

        return new SoqlToken(SoqlTokenKind.Number, numberText, start, number);
    }

    private static bool IsDigits(string text, int start, int count)
    {
        for (var k = 0; k < count; k++)
        {
            if (!char.IsAsciiDigit(text[start + k]))
            {
                return false;
            }
        }

        return true;
    }

    private static readonly string[] DateTimeFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'",
        "yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz",
    ];

    public static bool TryParseDateTime(string text, out DateTime utc)
    {
        var normalized = text.EndsWith('z') ? text[..^1] + "Z" : text;
        // Salesforce writes offsets as +0000; the .NET zone pattern wants +00:00.
        if (normalized.Length > 5 && normalized[^5] is '+' or '-' && IsDigits(normalized, normalized.Length - 4, 4))
        {
            normalized = normalized[..^2] + ":" + normalized[^2..];
        }

        if (DateTimeOffset.TryParseExact(normalized, DateTimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value))
        {
            utc = value.UtcDateTime;
            return true;
        }

        utc = default;
        return false;
    }
}
