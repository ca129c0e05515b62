package org.vigie.pattern;

import java.math.BigDecimal;
import java.time.Instant;

import static java.util.Objects.requireNonNull;

/** A pattern: observation expressions joined by AND, OR and FOLLOWEDBY, each optionally qualified. */
public sealed interface ObservationExpression
{
    String toPatternText();

    /** {@code [comparisons]}: matched by one observed-data object. */
    record Observation(ComparisonExpression comparison)
            implements ObservationExpression
    {
        public Observation
        {
            requireNonNull(comparison, "comparison is null");
        }

        @Override
        public String toPatternText()
        {
            return "[" + comparison.toPatternText() + "]";
        }
    }

    record And(ObservationExpression left, ObservationExpression right)
            implements ObservationExpression
    {
        public And
        {
            requireNonNull(left, "left is null");
            requireNonNull(right, "right is null");
        }

        @Override
        public String toPatternText()
        {
            return group(left) + " AND " + group(right);
        }
    }

    record Or(ObservationExpression left, ObservationExpression right)
            implements ObservationExpression
    {
        public Or
        {
            requireNonNull(left, "left is null");
            requireNonNull(right, "right is null");
        }

        @Override
        public String toPatternText()
        {
            return group(left) + " OR " + group(right);
        }
    }

    record FollowedBy(ObservationExpression left, ObservationExpression right)
            implements ObservationExpression
    {
        public FollowedBy
        {
            requireNonNull(left, "left is null");
            requireNonNull(right, "right is null");
        }

        @Override
        public String toPatternText()
        {
            return group(left) + " FOLLOWEDBY " + group(right);
        }
    }

    /** {@code WITHIN seconds SECONDS}: seconds is positive. */
    record Within(ObservationExpression expression, BigDecimal seconds)
            implements ObservationExpression
    {
        public Within
        {
            requireNonNull(expression, "expression is null");
            requireNonNull(seconds, "seconds is null");
            if (seconds.signum() <= 0) {
                throw new IllegalArgumentException("WITHIN needs a positive number of seconds");
            }
        }

        @Override
        public String toPatternText()
        {
            return group(expression, Within.class) + " WITHIN " + seconds.toPlainString() + " SECONDS";
        }
    }

    /** {@code REPEATS times TIMES}: times is positive. */
    record Repeats(ObservationExpression expression, int times)
            implements ObservationExpression
    {
        public Repeats
        {
            requireNonNull(expression, "expression is null");
            if (times <= 0) {
                throw new IllegalArgumentException("REPEATS needs a positive count");
            }
        }

        @Override
        public String toPatternText()
        {
            return group(expression, Repeats.class) + " REPEATS " + times + " TIMES";
        }
    }

    /** {@code START t'...' STOP t'...'}: start is before stop; the texts keep the written precision. */
    record StartStop(ObservationExpression expression, Instant start, Instant stop, String startText, String stopText)
            implements ObservationExpression
    {
        public StartStop
        {
            requireNonNull(expression, "expression is null");
            requireNonNull(start, "start is null");
            requireNonNull(stop, "stop is null");
            requireNonNull(startText, "startText is null");
            requireNonNull(stopText, "stopText is null");
            if (!start.isBefore(stop)) {
                throw new IllegalArgumentException("START must be before STOP");
            }
        }

        @Override
        public String toPatternText()
        {
            return group(expression, StartStop.class) + " START t'" + startText + "' STOP t'" + stopText + "'";
        }
    }

    // Binary operands are parenthesised; qualified and bracketed ones need not be.
    private static String group(ObservationExpression expression)
    {
        return group(expression, Void.class);
    }

    private static String group(ObservationExpression expression, Class<?> qualifier)
    {
        if (expression instanceof And || expression instanceof Or || expression instanceof FollowedBy || hasQualifier(expression, qualifier)) {
            // A second qualifier of one kind after [...] is invalid, so the first one is parenthesised.
            return "(" + expression.toPatternText() + ")";
        }
        return expression.toPatternText();
    }

    private static boolean hasQualifier(ObservationExpression expression, Class<?> qualifier)
    {
        ObservationExpression current = expression;
        while (true) {
            if (qualifier.isInstance(current)) {
                return true;
            }
            if (current instanceof Within within) {
                current = within.expression();
            }
            else if (current instanceof Repeats repeats) {
                current = repeats.expression();
            }
            else if (current instanceof StartStop startStop) {
                current = startStop.expression();
            }
            else {
                return false;
            }
        }
    }
}
