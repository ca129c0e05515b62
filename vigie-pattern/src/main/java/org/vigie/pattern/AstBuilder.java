package org.vigie.pattern;

import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.TerminalNode;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.pattern.Constant.BinaryConstant;
import org.vigie.pattern.Constant.BooleanConstant;
import org.vigie.pattern.Constant.FloatConstant;
import org.vigie.pattern.Constant.IntegerConstant;
import org.vigie.pattern.Constant.SetConstant;
import org.vigie.pattern.Constant.StringConstant;
import org.vigie.pattern.Constant.TimestampConstant;
import org.vigie.pattern.grammar.StixPatternLexer;
import org.vigie.pattern.grammar.StixPatternParser;
import org.vigie.stix.Timestamps;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/** Builds the AST from the ANTLR parse tree and makes the checks the grammar cannot express. */
final class AstBuilder
{
    private static final Pattern HEX_DIGITS = Pattern.compile("([0-9a-fA-F]{2})*");
    private static final Pattern BASE64 = Pattern.compile("([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?");

    private final String pattern;

    AstBuilder(String pattern)
    {
        this.pattern = pattern;
    }

    ObservationExpression build(StixPatternParser.PatternContext context)
    {
        return sequence(context.observationSequence());
    }

    private ObservationExpression sequence(StixPatternParser.ObservationSequenceContext context)
    {
        ObservationExpression result = null;
        for (StixPatternParser.ObservationDisjunctionContext operand : context.observationDisjunction()) {
            ObservationExpression next = disjunction(operand);
            result = result == null ? next : new ObservationExpression.FollowedBy(result, next);
        }
        return result;
    }

    private ObservationExpression disjunction(StixPatternParser.ObservationDisjunctionContext context)
    {
        ObservationExpression result = null;
        for (StixPatternParser.ObservationConjunctionContext operand : context.observationConjunction()) {
            ObservationExpression next = conjunction(operand);
            result = result == null ? next : new ObservationExpression.Or(result, next);
        }
        return result;
    }

    private ObservationExpression conjunction(StixPatternParser.ObservationConjunctionContext context)
    {
        ObservationExpression result = null;
        for (StixPatternParser.QualifiedObservationContext operand : context.qualifiedObservation()) {
            ObservationExpression next = qualified(operand);
            result = result == null ? next : new ObservationExpression.And(result, next);
        }
        return result;
    }

    private ObservationExpression qualified(StixPatternParser.QualifiedObservationContext context)
    {
        ObservationExpression result;
        if (context.observationPrimary() instanceof StixPatternParser.BracketedObservationContext bracketed) {
            result = new ObservationExpression.Observation(comparisonDisjunction(bracketed.comparisonDisjunction()));
        }
        else {
            result = sequence(((StixPatternParser.GroupedObservationContext) context.observationPrimary()).observationSequence());
        }
        // STIX 2.1: an observation expression MUST NOT have more than one qualifier of a type. As in the
        // OASIS validator, the check applies to the qualifiers written after one [...]; a parenthesised
        // group may carry its own (its qualifiers then apply to the already qualified expression).
        java.util.Set<Class<?>> kinds = new java.util.HashSet<>();
        boolean bracketed = context.observationPrimary() instanceof StixPatternParser.BracketedObservationContext;
        for (StixPatternParser.QualifierContext qualifier : context.qualifier()) {
            if (!kinds.add(qualifier.getClass()) && bracketed) {
                throw error(qualifier.getStart(), "an observation expression may have only one " + qualifier.getStart().getText() + " qualifier");
            }
            result = qualify(result, qualifier);
        }
        return result;
    }

    private ObservationExpression qualify(ObservationExpression expression, StixPatternParser.QualifierContext context)
    {
        if (context instanceof StixPatternParser.WithinQualifierContext within) {
            Token token = within.POSITIVE_INTEGER() != null ? within.POSITIVE_INTEGER().getSymbol() : within.POSITIVE_FLOAT().getSymbol();
            BigDecimal seconds = new BigDecimal(token.getText());
            if (seconds.signum() <= 0) {
                throw error(token, "WITHIN needs a positive number of seconds, found " + token.getText());
            }
            return new ObservationExpression.Within(expression, seconds);
        }
        if (context instanceof StixPatternParser.RepeatsQualifierContext repeats) {
            Token token = repeats.POSITIVE_INTEGER().getSymbol();
            BigInteger times = new BigInteger(token.getText());
            if (times.signum() <= 0 || times.bitLength() > 31) {
                throw error(token, "REPEATS needs a count between 1 and " + Integer.MAX_VALUE + ", found " + token.getText());
            }
            return new ObservationExpression.Repeats(expression, times.intValueExact());
        }
        StixPatternParser.StartStopQualifierContext startStop = (StixPatternParser.StartStopQualifierContext) context;
        Token startToken = startStop.TIMESTAMP(0).getSymbol();
        Token stopToken = startStop.TIMESTAMP(1).getSymbol();
        TimestampConstant start = timestamp(startToken);
        TimestampConstant stop = timestamp(stopToken);
        if (!start.value().isBefore(stop.value())) {
            throw error(stopToken, "STOP " + stop.toPatternText() + " must be later than START " + start.toPatternText());
        }
        return new ObservationExpression.StartStop(expression, start.value(), stop.value(), start.text(), stop.text());
    }

    private ComparisonExpression comparisonDisjunction(StixPatternParser.ComparisonDisjunctionContext context)
    {
        ComparisonExpression result = null;
        for (StixPatternParser.ComparisonConjunctionContext operand : context.comparisonConjunction()) {
            ComparisonExpression next = comparisonConjunction(operand);
            result = result == null ? next : new ComparisonExpression.Or(result, next);
        }
        return result;
    }

    private ComparisonExpression comparisonConjunction(StixPatternParser.ComparisonConjunctionContext context)
    {
        ComparisonExpression result = null;
        for (StixPatternParser.ComparisonPrimaryContext operand : context.comparisonPrimary()) {
            ComparisonExpression next = comparisonPrimary(operand);
            result = result == null ? next : new ComparisonExpression.And(result, next);
        }
        return result;
    }

    private ComparisonExpression comparisonPrimary(StixPatternParser.ComparisonPrimaryContext context)
    {
        if (context instanceof StixPatternParser.GroupedComparisonContext grouped) {
            return comparisonDisjunction(grouped.comparisonDisjunction());
        }
        if (context instanceof StixPatternParser.ExistsComparisonContext exists) {
            return new ComparisonExpression.Exists(objectPath(exists.objectPath()));
        }
        if (context instanceof StixPatternParser.EqualityComparisonContext equality) {
            Operator operator = equality.operator.getType() == StixPatternLexer.EQUAL ? Operator.EQUAL : Operator.NOT_EQUAL;
            return new ComparisonExpression.Comparison(objectPath(equality.objectPath()), operator, equality.NOT() != null, primitive(equality.primitiveConstant()));
        }
        if (context instanceof StixPatternParser.OrderingComparisonContext ordering) {
            Operator operator = switch (ordering.operator.getType()) {
                case StixPatternLexer.LESS -> Operator.LESS;
                case StixPatternLexer.LESS_OR_EQUAL -> Operator.LESS_OR_EQUAL;
                case StixPatternLexer.GREATER -> Operator.GREATER;
                default -> Operator.GREATER_OR_EQUAL;
            };
            return new ComparisonExpression.Comparison(objectPath(ordering.objectPath()), operator, ordering.NOT() != null, orderable(ordering.orderableConstant()));
        }
        if (context instanceof StixPatternParser.InComparisonContext in) {
            return new ComparisonExpression.Comparison(objectPath(in.objectPath()), Operator.IN, in.NOT() != null, set(in.setConstant()));
        }
        StixPatternParser.StringComparisonContext string = (StixPatternParser.StringComparisonContext) context;
        Token token = string.STRING().getSymbol();
        String value = string(token);
        Operator operator = switch (string.operator.getType()) {
            case StixPatternLexer.LIKE -> Operator.LIKE;
            case StixPatternLexer.MATCHES -> Operator.MATCHES;
            case StixPatternLexer.ISSUBSET -> Operator.IS_SUBSET;
            default -> Operator.IS_SUPERSET;
        };
        switch (operator) {
            case MATCHES -> {
                try {
                    PcreRegex.compile(value);
                }
                catch (VigieException e) {
                    throw error(token, e.getMessage());
                }
            }
            case IS_SUBSET, IS_SUPERSET -> {
                if (IpNetwork.parse(value) == null) {
                    throw error(token, operator.symbol() + " needs an IPv4 or IPv6 address or CIDR block, found " + Constant.quote(value));
                }
            }
            case LIKE, EQUAL, NOT_EQUAL, LESS, LESS_OR_EQUAL, GREATER, GREATER_OR_EQUAL, IN -> {
                // LIKE accepts any string; the others are not string operators.
            }
        }
        return new ComparisonExpression.Comparison(objectPath(string.objectPath()), operator, string.NOT() != null, new StringConstant(value));
    }

    private ObjectPath objectPath(StixPatternParser.ObjectPathContext context)
    {
        Token typeToken = context.objectType;
        String objectType = typeToken.getText();
        if (!isObjectType(objectType)) {
            throw error(typeToken, "object type '" + objectType + "' is not a STIX type name (3 to 250 characters: lower-case letters, digits and single hyphens, starting with a letter)");
        }
        List<ObjectPath.Step> steps = new ArrayList<>();
        steps.add(new ObjectPath.Property(propertyName(context.firstStep)));
        for (StixPatternParser.PathStepContext step : context.pathStep()) {
            if (step instanceof StixPatternParser.PropertyStepContext property) {
                steps.add(new ObjectPath.Property(propertyName(property.propertyName())));
            }
            else {
                StixPatternParser.IndexStepContext index = (StixPatternParser.IndexStepContext) step;
                if (index.ASTERISK() != null) {
                    steps.add(new ObjectPath.Index(ObjectPath.Index.ANY));
                }
                else {
                    TerminalNode number = index.POSITIVE_INTEGER() != null ? index.POSITIVE_INTEGER() : index.NEGATIVE_INTEGER();
                    BigInteger position = new BigInteger(number.getText());
                    if (position.signum() < 0 || position.bitLength() > 31) {
                        throw error(number.getSymbol(), "list index must be * or an integer from 0 to " + Integer.MAX_VALUE + ", found " + number.getText());
                    }
                    steps.add(new ObjectPath.Index(position.intValueExact()));
                }
            }
        }
        return new ObjectPath(objectType, steps);
    }

    // The STIX type name rule, checked by hand: this runs for every comparison of every indicator.
    private static boolean isObjectType(String type)
    {
        int length = type.length();
        if (length < 3 || length > 250 || type.charAt(0) < 'a' || type.charAt(0) > 'z' || type.charAt(length - 1) == '-') {
            return false;
        }
        for (int i = 1; i < length; i++) {
            char character = type.charAt(i);
            boolean allowed = (character >= 'a' && character <= 'z') || (character >= '0' && character <= '9') || character == '-';
            if (!allowed || (character == '-' && type.charAt(i - 1) == '-')) {
                return false;
            }
        }
        return true;
    }

    private String propertyName(StixPatternParser.PropertyNameContext context)
    {
        if (context.STRING() != null) {
            String name = string(context.STRING().getSymbol());
            if (name.isEmpty()) {
                throw error(context.STRING().getSymbol(), "a quoted property name must not be empty");
            }
            return name;
        }
        Token token = context.IDENTIFIER().getSymbol();
        if (token.getText().contains("-")) {
            throw error(token, "property name '" + token.getText() + "' contains '-': quote it as " + Constant.quote(token.getText()));
        }
        return token.getText();
    }

    private SetConstant set(StixPatternParser.SetConstantContext context)
    {
        List<Constant> elements = new ArrayList<>();
        Class<?> kind = null;
        for (StixPatternParser.PrimitiveConstantContext element : context.primitiveConstant()) {
            Constant constant = primitive(element);
            // Integers and floats are one numeric type for IN; any other mix is rejected as the specification asks.
            Class<?> elementKind = constant instanceof FloatConstant ? IntegerConstant.class : constant.getClass();
            if (kind != null && kind != elementKind) {
                throw error(element.getStart(), "all values of an IN set must be of one type, found " + constant.toPatternText() + " among " + elements.get(0).toPatternText());
            }
            kind = elementKind;
            elements.add(constant);
        }
        return new SetConstant(elements);
    }

    private Constant primitive(StixPatternParser.PrimitiveConstantContext context)
    {
        if (context.BOOLEAN() != null) {
            return new BooleanConstant(context.BOOLEAN().getText().equals("true"));
        }
        return orderable(context.orderableConstant());
    }

    private Constant orderable(StixPatternParser.OrderableConstantContext context)
    {
        Token token = context.getStart();
        String text = token.getText();
        return switch (token.getType()) {
            case StixPatternLexer.POSITIVE_INTEGER, StixPatternLexer.NEGATIVE_INTEGER -> new IntegerConstant(new BigInteger(text));
            case StixPatternLexer.POSITIVE_FLOAT, StixPatternLexer.NEGATIVE_FLOAT -> new FloatConstant(new BigDecimal(text));
            case StixPatternLexer.STRING -> new StringConstant(string(token));
            case StixPatternLexer.TIMESTAMP -> timestamp(token);
            case StixPatternLexer.BINARY -> binary(token);
            case StixPatternLexer.HEX -> hex(token);
            default -> throw error(token, "unexpected constant " + text);
        };
    }

    private TimestampConstant timestamp(Token token)
    {
        String text = inner(token, 2);
        try {
            Instant instant = Timestamps.parse(text);
            return new TimestampConstant(instant, text);
        }
        catch (VigieException e) {
            throw error(token, "invalid timestamp constant: " + e.getMessage());
        }
    }

    private BinaryConstant binary(Token token)
    {
        String text = inner(token, 2);
        if (!BASE64.matcher(text).matches()) {
            throw error(token, "binary constant b'" + text + "' is not padded base64");
        }
        return new BinaryConstant(Base64.getDecoder().decode(text), false);
    }

    private BinaryConstant hex(Token token)
    {
        String text = inner(token, 2);
        if (!HEX_DIGITS.matcher(text).matches()) {
            throw error(token, "hex constant h'" + text + "' must be an even number of hexadecimal digits");
        }
        return new BinaryConstant(HexFormat.of().parseHex(text), true);
    }

    // The specification allows exactly two escapes in strings: \' and \\.
    private String string(Token token)
    {
        String text = token.getText();
        StringBuilder value = new StringBuilder(text.length());
        for (int i = 1; i < text.length() - 1; i++) {
            char character = text.charAt(i);
            if (character == '\\') {
                char escaped = text.charAt(i + 1);
                if (escaped != '\'' && escaped != '\\') {
                    throw errorAt(token.getLine(), token.getCharPositionInLine() + i, "invalid escape '\\" + escaped + "' in string constant: only \\' and \\\\ are allowed");
                }
                value.append(escaped);
                i++;
            }
            else {
                value.append(character);
            }
        }
        return value.toString();
    }

    private static String inner(Token token, int prefixLength)
    {
        String text = token.getText();
        return text.substring(prefixLength, text.length() - 1);
    }

    private VigieException error(Token token, String message)
    {
        return errorAt(token.getLine(), token.getCharPositionInLine(), message);
    }

    private VigieException errorAt(int line, int charPositionInLine, String message)
    {
        return new VigieException(ErrorCode.INVALID_PATTERN, "invalid pattern " + position(pattern, line, charPositionInLine) + ": " + message);
    }

    static String position(String pattern, int line, int charPositionInLine)
    {
        boolean multiline = pattern.indexOf('\n') >= 0;
        return multiline ? "at line " + line + ", column " + (charPositionInLine + 1) : "at column " + (charPositionInLine + 1);
    }
}
