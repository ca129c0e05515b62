package org.vigie.pattern;

import static java.util.Objects.requireNonNull;

/** The inside of an observation expression's brackets: comparisons joined by AND and OR. */
public sealed interface ComparisonExpression
{
    String toPatternText();

    record And(ComparisonExpression left, ComparisonExpression right)
            implements ComparisonExpression
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

    record Or(ComparisonExpression left, ComparisonExpression right)
            implements ComparisonExpression
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

    /** {@code path [NOT] operator constant}; for IN the constant is a {@link Constant.SetConstant}. */
    record Comparison(ObjectPath path, Operator operator, boolean negated, Constant constant)
            implements ComparisonExpression
    {
        public Comparison
        {
            requireNonNull(path, "path is null");
            requireNonNull(operator, "operator is null");
            requireNonNull(constant, "constant is null");
        }

        @Override
        public String toPatternText()
        {
            return path.toPatternText() + (negated ? " NOT " : " ") + operator.symbol() + " " + constant.toPatternText();
        }
    }

    record Exists(ObjectPath path)
            implements ComparisonExpression
    {
        public Exists
        {
            requireNonNull(path, "path is null");
        }

        @Override
        public String toPatternText()
        {
            return "EXISTS " + path.toPatternText();
        }
    }

    // Compound operands are always parenthesised: the printed text parses back to the same tree.
    private static String group(ComparisonExpression expression)
    {
        // Java 17 has no pattern-matching switch: the sealed hierarchy is tested in order.
        if (expression instanceof And || expression instanceof Or) {
            return "(" + expression.toPatternText() + ")";
        }
        return expression.toPatternText();
    }
}
