package org.vigie.pattern.match;

import org.vigie.pattern.ComparisonExpression;
import org.vigie.pattern.Constant;
import org.vigie.pattern.IpNetwork;
import org.vigie.pattern.ObjectPath;
import org.vigie.pattern.ObservationExpression;
import org.vigie.pattern.PathKeys;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * A necessary condition for an indicator to match an observation, cheap to look up: if none of an
 * indicator's anchors fires, no observation expression of the indicator can be satisfied by the
 * observation. Every comparison needs a value under its path (in this evaluator's semantics a
 * missing property makes a comparison false even under NOT), so "the path exists" is always a
 * valid, if weak, anchor; the others narrow it.
 */
sealed interface Anchor
{
    String key();

    /** Relative cost of the candidates an anchor lets through; lower is more selective. */
    int cost();

    record Equality(String key, Object value)
            implements Anchor
    {
        @Override
        public int cost()
        {
            return 1;
        }
    }

    record Prefix(String key, String prefix)
            implements Anchor
    {
        @Override
        public int cost()
        {
            return 2;
        }
    }

    record Suffix(String key, String suffix)
            implements Anchor
    {
        @Override
        public int cost()
        {
            return 2;
        }
    }

    /**
     * The value contains {@code literal} (at least three characters, which every match contains); the
     * index files it under one of the literal's three-character pieces, the least used one.
     */
    record Trigram(String key, String literal)
            implements Anchor
    {
        @Override
        public int cost()
        {
            return 4;
        }
    }

    /** The value is an address block inside this one (ISSUBSET). */
    record Network(String key, IpNetwork network)
            implements Anchor
    {
        @Override
        public int cost()
        {
            return 2;
        }
    }

    record PathExists(String key)
            implements Anchor
    {
        @Override
        public int cost()
        {
            return 100;
        }
    }

    /** Anchors of a whole pattern: the union over its observation expressions. */
    static List<Anchor> of(ObservationExpression expression)
    {
        List<Anchor> anchors = new ArrayList<>();
        collect(expression, anchors);
        return anchors;
    }

    private static void collect(ObservationExpression expression, List<Anchor> anchors)
    {
        if (expression instanceof ObservationExpression.Observation observation) {
            anchors.addAll(of(observation.comparison()));
        }
        else if (expression instanceof ObservationExpression.And and) {
            collect(and.left(), anchors);
            collect(and.right(), anchors);
        }
        else if (expression instanceof ObservationExpression.Or or) {
            collect(or.left(), anchors);
            collect(or.right(), anchors);
        }
        else if (expression instanceof ObservationExpression.FollowedBy followedBy) {
            collect(followedBy.left(), anchors);
            collect(followedBy.right(), anchors);
        }
        else if (expression instanceof ObservationExpression.Within within) {
            collect(within.expression(), anchors);
        }
        else if (expression instanceof ObservationExpression.Repeats repeats) {
            collect(repeats.expression(), anchors);
        }
        else if (expression instanceof ObservationExpression.StartStop startStop) {
            collect(startStop.expression(), anchors);
        }
    }

    /** Anchors of a comparison expression; an empty list means it can never be true. */
    static List<Anchor> of(ComparisonExpression expression)
    {
        if (expression instanceof ComparisonExpression.Or or) {
            List<Anchor> anchors = new ArrayList<>(of(or.left()));
            anchors.addAll(of(or.right()));
            return anchors;
        }
        if (expression instanceof ComparisonExpression.And and) {
            // Either side is necessary: keep the more selective.
            List<Anchor> left = of(and.left());
            List<Anchor> right = of(and.right());
            return cost(left) <= cost(right) ? left : right;
        }
        if (expression instanceof ComparisonExpression.Exists exists) {
            return List.of(new PathExists(PathKeys.key(exists.path())));
        }
        return of((ComparisonExpression.Comparison) expression);
    }

    private static List<Anchor> of(ComparisonExpression.Comparison comparison)
    {
        String key = PathKeys.key(comparison.path());
        List<Anchor> weak = List.of(new PathExists(key));
        if (comparison.negated()) {
            return weak;
        }
        Constant constant = comparison.constant();
        String text = constant instanceof Constant.StringConstant string ? string.value() : null;
        return switch (comparison.operator()) {
            case EQUAL -> {
                Object value = equalityKey(constant);
                yield value == null ? weak : List.of(new Equality(key, value));
            }
            case IN -> {
                List<Anchor> anchors = new ArrayList<>();
                for (Constant element : ((Constant.SetConstant) constant).elements()) {
                    Object value = equalityKey(element);
                    if (value == null) {
                        yield weak;
                    }
                    anchors.add(new Equality(key, value));
                }
                yield anchors;
            }
            case LIKE -> like(key, text, weak);
            case MATCHES -> {
                if (isBinary(comparison.path())) {
                    yield weak;
                }
                String literal = RegexLiterals.longestRequiredLiteral(text);
                yield literal.length() >= 3 ? List.of(new Trigram(key, literal)) : weak;
            }
            case IS_SUBSET -> List.of(new Network(key, IpNetwork.parse(text)));
            case NOT_EQUAL, LESS, LESS_OR_EQUAL, GREATER, GREATER_OR_EQUAL, IS_SUPERSET -> weak;
        };
    }

    private static List<Anchor> like(String key, String like, List<Anchor> weak)
    {
        int firstWildcard = indexOfWildcard(like, 0);
        if (firstWildcard < 0) {
            return List.of(new Equality(key, like));
        }
        if (firstWildcard > 0) {
            return List.of(new Prefix(key, like.substring(0, firstWildcard)));
        }
        int lastWildcard = Math.max(like.lastIndexOf('%'), like.lastIndexOf('_'));
        if (lastWildcard < like.length() - 1) {
            return List.of(new Suffix(key, like.substring(lastWildcard + 1)));
        }
        String longest = "";
        for (String part : like.split("[%_]")) {
            longest = part.length() > longest.length() ? part : longest;
        }
        return longest.length() >= 3 ? List.of(new Trigram(key, longest)) : weak;
    }

    private static int indexOfWildcard(String like, int from)
    {
        for (int i = from; i < like.length(); i++) {
            char character = like.charAt(i);
            if (character == '%' || character == '_') {
                return i;
            }
        }
        return -1;
    }

    private static boolean isBinary(ObjectPath path)
    {
        for (int i = path.steps().size() - 1; i >= 0; i--) {
            if (path.steps().get(i) instanceof ObjectPath.Property property) {
                return property.name().endsWith("_bin") || property.name().endsWith("_hex");
            }
        }
        return false;
    }

    /** The hash key a constant equals, as {@link #valueKey} gives it for observed values; null when equality is not by hash. */
    static Object equalityKey(Constant constant)
    {
        if (constant instanceof Constant.StringConstant string) {
            return string.value();
        }
        if (constant instanceof Constant.IntegerConstant integer) {
            return normalize(new BigDecimal(integer.value()));
        }
        if (constant instanceof Constant.FloatConstant floating) {
            return normalize(floating.value());
        }
        if (constant instanceof Constant.BooleanConstant bool) {
            return bool.value();
        }
        // Timestamps and binary constants equal values of other spellings: they take the fallback.
        return null;
    }

    static Object valueKey(Object value)
    {
        return value instanceof BigDecimal number ? normalize(number) : value;
    }

    private static BigDecimal normalize(BigDecimal number)
    {
        return number.signum() == 0 ? BigDecimal.ZERO : number.stripTrailingZeros();
    }

    static int cost(List<Anchor> anchors)
    {
        int total = 0;
        for (Anchor anchor : anchors) {
            total += anchor.cost();
        }
        return total;
    }
}
