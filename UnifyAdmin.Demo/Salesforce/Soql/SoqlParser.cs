using System.Globalization;

namespace UnifyAdmin.Demo.Salesforce.Soql;

/// <summary>Recursive-descent parser for the SOQL subset the demo serves.</summary>
internal sealed class SoqlParser
{
    public const int MaxQueryLength = 100_000;

    private static readonly HashSet<string> Unsupported = new(StringComparer.OrdinalIgnoreCase)
    {
        "GROUP", "HAVING", "OFFSET", "WITH", "FOR", "TYPEOF", "USING", "UPDATE", "INCLUDES", "EXCLUDES",
    };

    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "SELECT", "FROM", "WHERE", "ORDER", "BY", "LIMIT", "AND", "OR", "NOT", "IN", "LIKE", "ASC", "DESC", "NULLS",
        "NULL", "TRUE", "FALSE", "GROUP", "HAVING", "OFFSET", "WITH",
    };

    private readonly string text;
    private readonly List<SoqlToken> tokens;
    private int position;

    private SoqlParser(string text)
    {
        this.text = text;
        tokens = SoqlLexer.Tokenize(text);
    }

    public static SoqlQuery Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw SoqlException.Malformed("A query string has to be specified");
        }

        if (text.Length > MaxQueryLength)
        {
            throw SoqlException.Malformed($"Query is too long: {text.Length} characters, at most {MaxQueryLength} are allowed");
        }

        return new SoqlParser(text).ParseQuery();
    }

    private SoqlToken Current => tokens[position];

    private SoqlToken Next() => tokens[position++];

    private SoqlException Unexpected(string? expected = null)
    {
        var token = Current;
        var shown = token.Kind == SoqlTokenKind.End ? "<EOF>" : token.Text;
        if (token.Kind == SoqlTokenKind.Identifier && Unsupported.Contains(token.Text))
        {
            return SoqlException.Malformed($"{token.Text.ToUpperInvariant()} is not supported by the demo org (column {token.Position + 1})");
        }

        var suffix = expected is null ? "" : $", expected {expected}";
        return SoqlException.Malformed($"unexpected token: '{shown}' at column {token.Position + 1}{suffix}");
    }

    private void ExpectKeyword(string keyword)
    {
        if (!Current.IsKeyword(keyword))
        {
            throw Unexpected(keyword);
        }

        position++;
    }

    private void Expect(SoqlTokenKind kind, string what)
    {
        if (Current.Kind != kind)
        {
            throw Unexpected(what);
        }

        position++;
    }

    private SoqlQuery ParseQuery()
    {
        ExpectKeyword("SELECT");
        var fields = new List<SoqlFieldPath>();
        var isCount = false;
        if (Current.IsKeyword("COUNT") && tokens[position + 1].Kind == SoqlTokenKind.OpenParen)
        {
            position += 2;
            if (Current.Kind != SoqlTokenKind.CloseParen)
            {
                throw SoqlException.Malformed("Only COUNT() is supported by the demo org; aggregate functions such as COUNT(field) are not");
            }

            position++;
            isCount = true;
        }
        else
        {
            do
            {
                if (Current.Kind == SoqlTokenKind.OpenParen)
                {
                    throw SoqlException.Malformed($"Subqueries are not supported by the demo org (column {Current.Position + 1})");
                }

                var path = ParseFieldPath();
                if (Current.Kind == SoqlTokenKind.OpenParen)
                {
                    throw SoqlException.Malformed($"Function '{path}' is not supported by the demo org; only COUNT() is");
                }

                fields.Add(path);
            }
            while (TryConsume(SoqlTokenKind.Comma));
        }

        if (Current.IsKeyword("COUNT"))
        {
            throw SoqlException.Malformed("COUNT() cannot be combined with other fields");
        }

        ExpectKeyword("FROM");
        if (Current.Kind != SoqlTokenKind.Identifier || Reserved.Contains(Current.Text))
        {
            throw Unexpected("an object name");
        }

        var from = Next().Text;
        if (Current.Kind == SoqlTokenKind.Comma)
        {
            throw SoqlException.Malformed("Only one object can follow FROM");
        }

        if (Current.Kind == SoqlTokenKind.Identifier && !Reserved.Contains(Current.Text))
        {
            throw SoqlException.Malformed($"Object aliases are not supported by the demo org (found '{Current.Text}' after '{from}')");
        }

        SoqlCondition? where = null;
        if (Current.IsKeyword("WHERE"))
        {
            position++;
            where = ParseOr();
        }

        var orderBy = new List<SoqlOrdering>();
        if (Current.IsKeyword("ORDER"))
        {
            position++;
            ExpectKeyword("BY");
            do
            {
                orderBy.Add(ParseOrdering());
            }
            while (TryConsume(SoqlTokenKind.Comma));
        }

        int? limit = null;
        if (Current.IsKeyword("LIMIT"))
        {
            position++;
            if (Current.Kind != SoqlTokenKind.Number || !int.TryParse(Current.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                throw Unexpected("a non-negative whole number after LIMIT");
            }

            position++;
            limit = n;
        }

        if (Current.Kind != SoqlTokenKind.End)
        {
            throw Unexpected();
        }

        if (isCount && orderBy.Count > 0)
        {
            throw SoqlException.Malformed("ORDER BY cannot be used with COUNT()");
        }

        return new SoqlQuery(fields, isCount, from, where, orderBy, limit);
    }

    private bool TryConsume(SoqlTokenKind kind)
    {
        if (Current.Kind != kind)
        {
            return false;
        }

        position++;
        return true;
    }

    private SoqlFieldPath ParseFieldPath()
    {
        if (Current.Kind != SoqlTokenKind.Identifier || (Reserved.Contains(Current.Text) && !Current.IsKeyword("COUNT")))
        {
            throw Unexpected("a field name");
        }

        var parts = new List<string> { Next().Text };
        while (Current.Kind == SoqlTokenKind.Dot)
        {
            position++;
            if (Current.Kind != SoqlTokenKind.Identifier)
            {
                throw Unexpected("a field name after '.'");
            }

            parts.Add(Next().Text);
        }

        return new SoqlFieldPath(parts);
    }

    private SoqlOrdering ParseOrdering()
    {
        var field = ParseFieldPath();
        var descending = false;
        if (Current.IsKeyword("ASC"))
        {
            position++;
        }
        else if (Current.IsKeyword("DESC"))
        {
            position++;
            descending = true;
        }

        // Salesforce puts nulls first in ascending order and last in descending order unless told otherwise.
        var nullsFirst = !descending;
        if (Current.IsKeyword("NULLS"))
        {
            position++;
            if (Current.IsKeyword("FIRST"))
            {
                nullsFirst = true;
            }
            else if (Current.IsKeyword("LAST"))
            {
                nullsFirst = false;
            }
            else
            {
                throw Unexpected("FIRST or LAST");
            }

            position++;
        }

        return new SoqlOrdering(field, descending, nullsFirst);
    }

    private SoqlCondition ParseOr()
    {
        var left = ParseAnd();
        while (Current.IsKeyword("OR"))
        {
            position++;
            left = new SoqlOr(left, ParseAnd());
        }

        return left;
    }

    private SoqlCondition ParseAnd()
    {
        var left = ParseNot();
        while (Current.IsKeyword("AND"))
        {
            position++;
            left = new SoqlAnd(left, ParseNot());
        }

        return left;
    }

    private SoqlCondition ParseNot()
    {
        if (Current.IsKeyword("NOT"))
        {
            position++;
            return new SoqlNot(ParseNot());
        }

        if (Current.Kind == SoqlTokenKind.OpenParen)
        {
            position++;
            var inner = ParseOr();
            Expect(SoqlTokenKind.CloseParen, "')'");
            return inner;
        }

        return ParseSimple();
    }

    private SoqlCondition ParseSimple()
    {
        var field = ParseFieldPath();
        if (Current.Kind == SoqlTokenKind.Operator)
        {
            var op = Next().Text switch
            {
                "=" => SoqlOperator.Equal,
                "!=" or "<>" => SoqlOperator.NotEqual,
                "<" => SoqlOperator.Less,
                "<=" => SoqlOperator.LessOrEqual,
                ">" => SoqlOperator.Greater,
                _ => SoqlOperator.GreaterOrEqual,
            };
            var literal = ParseLiteral();
            if (literal.Kind == SoqlLiteralKind.Null && op is not (SoqlOperator.Equal or SoqlOperator.NotEqual))
            {
                throw SoqlException.Malformed($"null can only be compared with = or != (field '{field}')");
            }

            return new SoqlComparison(field, op, literal);
        }

        var negated = false;
        if (Current.IsKeyword("NOT") && tokens[position + 1].IsKeyword("IN"))
        {
            position++;
            negated = true;
        }

        if (Current.IsKeyword("IN"))
        {
            position++;
            if (Current.Kind != SoqlTokenKind.OpenParen)
            {
                throw Unexpected("'(' after IN");
            }

            position++;
            if (Current.IsKeyword("SELECT"))
            {
                throw SoqlException.Malformed("Semi-join subqueries are not supported by the demo org");
            }

            var values = new List<SoqlLiteral>();
            do
            {
                values.Add(ParseLiteral());
            }
            while (TryConsume(SoqlTokenKind.Comma));
            Expect(SoqlTokenKind.CloseParen, "')'");
            return new SoqlIn(field, values, negated);
        }

        if (Current.IsKeyword("LIKE"))
        {
            position++;
            if (Current.Kind != SoqlTokenKind.String)
            {
                throw Unexpected("a quoted pattern after LIKE");
            }

            var raw = Next().Text;
            return new SoqlLike(field, raw[1..^1]);
        }

        throw Unexpected("a comparison operator, IN, NOT IN or LIKE");
    }

    private SoqlLiteral ParseLiteral()
    {
        var token = Current;
        switch (token.Kind)
        {
            case SoqlTokenKind.String:
                position++;
                return new SoqlLiteral(SoqlLiteralKind.String, (string)token.Value!, token.Text);
            case SoqlTokenKind.Number:
                position++;
                return new SoqlLiteral(SoqlLiteralKind.Number, (decimal)token.Value!, token.Text);
            case SoqlTokenKind.Date:
                position++;
                return new SoqlLiteral(SoqlLiteralKind.Date, (DateOnly)token.Value!, token.Text);
            case SoqlTokenKind.DateTime:
                position++;
                return new SoqlLiteral(SoqlLiteralKind.DateTime, (DateTime)token.Value!, token.Text);
            case SoqlTokenKind.Identifier when token.IsKeyword("NULL"):
                position++;
                return new SoqlLiteral(SoqlLiteralKind.Null, null, "null");
            case SoqlTokenKind.Identifier when token.IsKeyword("TRUE") || token.IsKeyword("FALSE"):
                position++;
                return new SoqlLiteral(SoqlLiteralKind.Boolean, token.IsKeyword("TRUE"), token.Text);
            case SoqlTokenKind.Identifier:
                throw SoqlException.Malformed($"Date literals such as '{token.Text}' and bind variables are not supported by the demo org (column {token.Position + 1})");
            default:
                throw Unexpected("a value");
        }
    }

    public override string ToString() => text;
}
