package org.vigie.pattern;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.pattern.Constant.BinaryConstant;
import org.vigie.pattern.Constant.BooleanConstant;
import org.vigie.pattern.Constant.FloatConstant;
import org.vigie.pattern.Constant.IntegerConstant;
import org.vigie.pattern.Constant.SetConstant;
import org.vigie.pattern.Constant.StringConstant;
import org.vigie.pattern.Constant.TimestampConstant;
import org.vigie.stix.Timestamps;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * A pattern prepared for evaluation: flattened keys, regular expressions, LIKE patterns and CIDR
 * blocks computed once. This is the reference evaluator of the specification's semantics:
 * <ul>
 * <li>an observation expression {@code [...]} is matched by one observed-data object when one of its
 *     cyber-observable objects satisfies the comparison expression: a comparison holds for an object when
 *     some value under its path (reached from that object, references followed) satisfies it; comparisons
 *     joined by AND must hold for the same object, so an AND of comparisons on different object types
 *     never matches; OR holds for an object when either side does;</li>
 * <li>a value of another type than the constant satisfies {@code !=} and no other operator; NOT then
 *     negates the comparison, so {@code NOT =} and {@code NOT LIKE} hold for it too (STIX 2.0 part 5
 *     section 4.2.1 / 2.1 section 9.5 as quoted by the OASIS matcher's maintainers, and that matcher's
 *     2.1 test vectors); a missing property makes a comparison false, with or without NOT, since there is
 *     no value to compare; NOT negates the comparison for each value;</li>
 * <li>an observed-data object stands for events somewhere in [first_observed, last_observed]; a timing
 *     constraint holds when some instant can be chosen in each bound observation's interval that
 *     satisfies it (the OASIS matcher's rule and test vectors): AND between observation expressions needs
 *     disjoint sets of observed-data; FOLLOWEDBY also needs the latest left first_observed at or before the
 *     earliest right last_observed;</li>
 * <li>WITHIN n SECONDS: the latest first_observed is at most n seconds after the earliest last_observed
 *     of the bound observations; START/STOP: each bound observation has first_observed &lt; stop and
 *     last_observed &gt;= start;</li>
 * <li>REPEATS n TIMES: n matches of the inner expression with disjoint observations, where an
 *     observed-data with number_observed k may serve k of them.</li>
 * </ul>
 * Thread-safe and immutable.
 */
public final class CompiledPattern
{
    /** Candidate bindings allowed while evaluating, beyond which evaluation fails rather than running on. */
    public static final int MAXIMUM_BINDINGS = 20_000;

    private final ObservationExpression expression;
    private final Node root;

    private CompiledPattern(ObservationExpression expression)
    {
        this.expression = requireNonNull(expression, "expression is null");
        this.root = node(expression);
    }

    public static CompiledPattern compile(ObservationExpression expression)
    {
        return new CompiledPattern(expression);
    }

    public static CompiledPattern parse(String pattern)
    {
        return new CompiledPattern(PatternParser.parse(pattern));
    }

    public ObservationExpression expression()
    {
        return expression;
    }

    /** Whether the pattern is one observation expression, or ORs of them, without qualifiers: it then needs no state across observations. */
    public boolean isStateless()
    {
        return stateless(root);
    }

    /** For a stateless pattern: whether this one observation matches it. */
    public boolean matches(Observation observation)
    {
        return matchesStateless(root, observation);
    }

    /** Whether one of the {@code [...]} leaves of the pattern is satisfied by this observation (so it may take part in a match). */
    public boolean matchesAnyLeaf(Observation observation)
    {
        return anyLeaf(root, observation);
    }

    /**
     * Every match of the pattern among the observations, in a deterministic order (fewest observations
     * first, then by position in the input).
     */
    public List<PatternMatch> evaluate(List<Observation> observations)
    {
        List<BitSet> bindings = bindings(root, observations, new int[] {0});
        List<BitSet> sorted = new ArrayList<>(bindings);
        sorted.sort(BINDING_ORDER);
        List<PatternMatch> matches = new ArrayList<>(sorted.size());
        for (BitSet binding : sorted) {
            matches.add(toMatch(binding, observations));
        }
        return matches;
    }

    /** The matches that bind the observation at {@code index}: what is new when that observation has just arrived. */
    public List<PatternMatch> evaluateIncluding(List<Observation> observations, int index)
    {
        List<BitSet> bindings = bindings(root, observations, new int[] {0});
        List<BitSet> sorted = new ArrayList<>();
        for (BitSet binding : bindings) {
            if (binding.get(index)) {
                sorted.add(binding);
            }
        }
        sorted.sort(BINDING_ORDER);
        List<PatternMatch> matches = new ArrayList<>(sorted.size());
        for (BitSet binding : sorted) {
            matches.add(toMatch(binding, observations));
        }
        return matches;
    }

    private static final Comparator<BitSet> BINDING_ORDER = (left, right) -> {
        int bySize = Integer.compare(left.cardinality(), right.cardinality());
        if (bySize != 0) {
            return bySize;
        }
        int[] a = left.stream().toArray();
        int[] b = right.stream().toArray();
        return Arrays.compare(a, b);
    };

    private static PatternMatch toMatch(BitSet binding, List<Observation> observations)
    {
        List<String> ids = new ArrayList<>();
        Instant first = null;
        Instant last = null;
        long count = 0;
        for (int i = binding.nextSetBit(0); i >= 0; i = binding.nextSetBit(i + 1)) {
            Observation observation = observations.get(i);
            ids.add(observation.id());
            first = first == null || observation.firstObserved().isBefore(first) ? observation.firstObserved() : first;
            last = last == null || observation.lastObserved().isAfter(last) ? observation.lastObserved() : last;
            count += observation.numberObserved();
        }
        return new PatternMatch(ids, first, last, count);
    }

    // --- compiled tree -----------------------------------------------------------------------

    private sealed interface Node
            permits Leaf, Binary, Within, Repeats, StartStop {}

    private record Leaf(Test test)
            implements Node {}

    private enum Join
    {
        AND, OR, FOLLOWEDBY
    }

    private record Binary(Join join, Node left, Node right)
            implements Node {}

    private record Within(Node inner, Duration window)
            implements Node {}

    private record Repeats(Node inner, int times)
            implements Node {}

    private record StartStop(Node inner, Instant start, Instant stop)
            implements Node {}

    private static Node node(ObservationExpression expression)
    {
        if (expression instanceof ObservationExpression.Observation observation) {
            return new Leaf(test(observation.comparison()));
        }
        if (expression instanceof ObservationExpression.And and) {
            return new Binary(Join.AND, node(and.left()), node(and.right()));
        }
        if (expression instanceof ObservationExpression.Or or) {
            return new Binary(Join.OR, node(or.left()), node(or.right()));
        }
        if (expression instanceof ObservationExpression.FollowedBy followedBy) {
            return new Binary(Join.FOLLOWEDBY, node(followedBy.left()), node(followedBy.right()));
        }
        if (expression instanceof ObservationExpression.Within within) {
            BigDecimal nanos = within.seconds().movePointRight(9);
            Duration window = nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) >= 0 ? Duration.ofSeconds(Long.MAX_VALUE / 2) : Duration.ofNanos(nanos.longValue());
            return new Within(node(within.expression()), window);
        }
        if (expression instanceof ObservationExpression.Repeats repeats) {
            return new Repeats(node(repeats.expression()), repeats.times());
        }
        ObservationExpression.StartStop startStop = (ObservationExpression.StartStop) expression;
        return new StartStop(node(startStop.expression()), startStop.start(), startStop.stop());
    }

    private static boolean stateless(Node node)
    {
        if (node instanceof Leaf) {
            return true;
        }
        if (node instanceof Binary binary) {
            return binary.join() == Join.OR && stateless(binary.left()) && stateless(binary.right());
        }
        return false;
    }

    private static boolean matchesStateless(Node node, Observation observation)
    {
        if (node instanceof Leaf leaf) {
            return leaf.test().test(observation);
        }
        if (node instanceof Binary binary && binary.join() == Join.OR) {
            return matchesStateless(binary.left(), observation) || matchesStateless(binary.right(), observation);
        }
        throw new IllegalStateException("pattern is not stateless");
    }

    private static boolean anyLeaf(Node node, Observation observation)
    {
        if (node instanceof Leaf leaf) {
            return leaf.test().test(observation);
        }
        if (node instanceof Binary binary) {
            return anyLeaf(binary.left(), observation) || anyLeaf(binary.right(), observation);
        }
        if (node instanceof Within within) {
            return anyLeaf(within.inner(), observation);
        }
        if (node instanceof Repeats repeats) {
            return anyLeaf(repeats.inner(), observation);
        }
        return anyLeaf(((StartStop) node).inner(), observation);
    }

    // --- bindings ------------------------------------------------------------------------------

    private static List<BitSet> bindings(Node node, List<Observation> observations, int[] budget)
    {
        Set<BitSet> result = new LinkedHashSet<>();
        if (node instanceof Leaf leaf) {
            for (int i = 0; i < observations.size(); i++) {
                if (leaf.test().test(observations.get(i))) {
                    BitSet binding = new BitSet();
                    binding.set(i);
                    add(result, binding, budget);
                }
            }
        }
        else if (node instanceof Binary binary) {
            List<BitSet> left = bindings(binary.left(), observations, budget);
            List<BitSet> right = bindings(binary.right(), observations, budget);
            switch (binary.join()) {
                case OR -> {
                    left.forEach(binding -> add(result, binding, budget));
                    right.forEach(binding -> add(result, binding, budget));
                }
                case AND, FOLLOWEDBY -> {
                    for (BitSet a : left) {
                        for (BitSet b : right) {
                            if (a.intersects(b)) {
                                continue;
                            }
                            // Some instant of every left interval at or before some instant of every right one.
                            if (binary.join() == Join.FOLLOWEDBY && latestFirst(a, observations).isAfter(earliestLast(b, observations))) {
                                continue;
                            }
                            BitSet union = (BitSet) a.clone();
                            union.or(b);
                            add(result, union, budget);
                        }
                    }
                }
            }
        }
        else if (node instanceof Within within) {
            for (BitSet binding : bindings(within.inner(), observations, budget)) {
                // A window of n seconds starting at the earliest last_observed must reach every first_observed.
                Duration span = Duration.between(earliestLast(binding, observations), latestFirst(binding, observations));
                if (span.compareTo(within.window()) <= 0) {
                    add(result, binding, budget);
                }
            }
        }
        else if (node instanceof StartStop startStop) {
            for (BitSet binding : bindings(startStop.inner(), observations, budget)) {
                boolean inside = true;
                for (int i = binding.nextSetBit(0); i >= 0 && inside; i = binding.nextSetBit(i + 1)) {
                    Observation observation = observations.get(i);
                    // The interval meets [start, stop): some instant of it is at or after start and before stop.
                    inside = observation.firstObserved().isBefore(startStop.stop()) && !observation.lastObserved().isBefore(startStop.start());
                }
                if (inside) {
                    add(result, binding, budget);
                }
            }
        }
        else {
            Repeats repeats = (Repeats) node;
            List<BitSet> inner = bindings(repeats.inner(), observations, budget);
            long[] capacity = new long[observations.size()];
            for (int i = 0; i < capacity.length; i++) {
                capacity[i] = observations.get(i).numberObserved();
            }
            repeat(inner, 0, repeats.times(), capacity, new BitSet(), result, budget);
        }
        return new ArrayList<>(result);
    }

    // Chooses `remaining` inner bindings (in non-decreasing order, a binding reusable while its observations have capacity).
    private static void repeat(List<BitSet> inner, int from, int remaining, long[] capacity, BitSet union, Set<BitSet> result, int[] budget)
    {
        if (remaining == 0) {
            add(result, (BitSet) union.clone(), budget);
            return;
        }
        for (int index = from; index < inner.size(); index++) {
            BitSet binding = inner.get(index);
            boolean available = true;
            for (int i = binding.nextSetBit(0); i >= 0 && available; i = binding.nextSetBit(i + 1)) {
                available = capacity[i] > 0;
            }
            if (!available) {
                continue;
            }
            spend(binding, capacity, -1);
            BitSet previous = (BitSet) union.clone();
            union.or(binding);
            budget[0]++;
            if (budget[0] > MAXIMUM_BINDINGS * 10) {
                throw tooMany();
            }
            repeat(inner, index, remaining - 1, capacity, union, result, budget);
            union.clear();
            union.or(previous);
            spend(binding, capacity, 1);
        }
    }

    private static void spend(BitSet binding, long[] capacity, int delta)
    {
        for (int i = binding.nextSetBit(0); i >= 0; i = binding.nextSetBit(i + 1)) {
            capacity[i] += delta;
        }
    }

    private static void add(Set<BitSet> result, BitSet binding, int[] budget)
    {
        if (result.add(binding) && ++budget[0] > MAXIMUM_BINDINGS) {
            throw tooMany();
        }
    }

    private static VigieException tooMany()
    {
        return new VigieException(ErrorCode.PATTERN_NOT_SUPPORTED, "evaluation needs more than " + MAXIMUM_BINDINGS + " candidate matches: too many observations for this pattern");
    }

    private static Instant latestFirst(BitSet binding, List<Observation> observations)
    {
        Instant result = null;
        for (int i = binding.nextSetBit(0); i >= 0; i = binding.nextSetBit(i + 1)) {
            Instant first = observations.get(i).firstObserved();
            result = result == null || first.isAfter(result) ? first : result;
        }
        return result;
    }

    private static Instant earliestLast(BitSet binding, List<Observation> observations)
    {
        Instant result = null;
        for (int i = binding.nextSetBit(0); i >= 0; i = binding.nextSetBit(i + 1)) {
            Instant last = observations.get(i).lastObserved();
            result = result == null || last.isBefore(result) ? last : result;
        }
        return result;
    }

    // --- comparisons ---------------------------------------------------------------------------

    /**
     * A compiled comparison expression. It holds for an observation when it holds for one of its
     * cyber-observable objects: operands of AND must hold for the same object (STIX 2.1 section 9.5
     * requires them to be satisfiable by one object type; the OASIS matcher intersects root objects).
     */
    interface Test
    {
        /** The positions of the observation's objects for which the expression holds (a new set). */
        BitSet objects(Observation observation);

        /** Whether the expression holds for some object; without AND below it, no set is built. */
        default boolean test(Observation observation)
        {
            return !objects(observation).isEmpty();
        }
    }

    private record AndTest(Test left, Test right)
            implements Test
    {
        @Override
        public BitSet objects(Observation observation)
        {
            BitSet result = left.objects(observation);
            if (!result.isEmpty()) {
                result.and(right.objects(observation));
            }
            return result;
        }
    }

    private record OrTest(Test left, Test right)
            implements Test
    {
        @Override
        public BitSet objects(Observation observation)
        {
            BitSet result = left.objects(observation);
            result.or(right.objects(observation));
            return result;
        }

        @Override
        public boolean test(Observation observation)
        {
            return left.test(observation) || right.test(observation);
        }
    }

    private record ExistsTest(String key)
            implements Test
    {
        @Override
        public BitSet objects(Observation observation)
        {
            BitSet result = new BitSet();
            for (int position : observation.objectPositions(key)) {
                result.set(position);
            }
            return result;
        }

        @Override
        public boolean test(Observation observation)
        {
            return observation.values(key).length > 0;
        }
    }

    static Test test(ComparisonExpression expression)
    {
        if (expression instanceof ComparisonExpression.And and) {
            return new AndTest(test(and.left()), test(and.right()));
        }
        if (expression instanceof ComparisonExpression.Or or) {
            return new OrTest(test(or.left()), test(or.right()));
        }
        if (expression instanceof ComparisonExpression.Exists exists) {
            return new ExistsTest(PathKeys.key(exists.path()));
        }
        return new ComparisonTest((ComparisonExpression.Comparison) expression);
    }

    /** One comparison with everything about its constant prepared. */
    static final class ComparisonTest
            implements Test
    {
        private final String key;
        private final Operator operator;
        private final boolean negated;
        private final Constant constant;
        private final boolean hexProperty;
        private final boolean binaryProperty;
        private final Pattern regex;
        private final IpNetwork network;

        ComparisonTest(ComparisonExpression.Comparison comparison)
        {
            this.key = PathKeys.key(comparison.path());
            this.operator = comparison.operator();
            this.negated = comparison.negated();
            this.constant = comparison.constant();
            String last = lastPropertyName(comparison.path());
            this.hexProperty = last.endsWith("_hex");
            this.binaryProperty = last.endsWith("_bin");
            String text = constant instanceof StringConstant string ? string.value() : null;
            this.regex = switch (operator) {
                case MATCHES -> PcreRegex.compile(text);
                case LIKE -> Like.compile(text);
                case EQUAL, NOT_EQUAL, LESS, LESS_OR_EQUAL, GREATER, GREATER_OR_EQUAL, IN, IS_SUBSET, IS_SUPERSET -> null;
            };
            this.network = operator == Operator.IS_SUBSET || operator == Operator.IS_SUPERSET ? IpNetwork.parse(text) : null;
        }

        @Override
        public boolean test(Observation observation)
        {
            for (Object value : observation.values(key)) {
                if (holds(value)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public BitSet objects(Observation observation)
        {
            BitSet result = new BitSet();
            Object[] values = observation.values(key);
            int[] positions = observation.objectPositions(key);
            for (int i = 0; i < values.length; i++) {
                if (!result.get(positions[i]) && holds(values[i])) {
                    result.set(positions[i]);
                }
            }
            return result;
        }

        private boolean holds(Object value)
        {
            Boolean verdict = compare(value);
            // A value of another type is unequal to the constant and satisfies no other operator; NOT negates that.
            boolean result = verdict == null ? operator == Operator.NOT_EQUAL : verdict;
            return result != negated;
        }

        /** The operator's verdict on one value before NOT; null when the value's type does not compare with the constant. */
        Boolean compare(Object value)
        {
            if (value == Observation.CONTAINER) {
                return null;
            }
            return switch (operator) {
                case EQUAL -> equal(value, constant);
                case NOT_EQUAL -> not(equal(value, constant));
                case LESS -> order(value, result -> result < 0);
                case LESS_OR_EQUAL -> order(value, result -> result <= 0);
                case GREATER -> order(value, result -> result > 0);
                case GREATER_OR_EQUAL -> order(value, result -> result >= 0);
                case IN -> in(value);
                case LIKE -> value instanceof String string ? regex.matcher(string).matches() : null;
                case MATCHES -> matches(value);
                case IS_SUBSET -> value instanceof String string ? subset(string, true) : null;
                case IS_SUPERSET -> value instanceof String string ? subset(string, false) : null;
            };
        }

        private Boolean matches(Object value)
        {
            if (!(value instanceof String string)) {
                return null;
            }
            if (binaryProperty || hexProperty) {
                // The specification matches binary properties byte by byte: each byte becomes one character.
                byte[] bytes = bytes(string);
                if (bytes == null) {
                    return null;
                }
                return PcreRegex.find(regex, new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1));
            }
            return PcreRegex.find(regex, string);
        }

        private Boolean subset(String value, boolean valueInsideConstant)
        {
            IpNetwork observed = IpNetwork.parse(value);
            if (observed == null || observed.version6() != network.version6()) {
                return null;
            }
            return valueInsideConstant ? network.contains(observed) : observed.contains(network);
        }

        private Boolean in(Object value)
        {
            List<Constant> elements = ((SetConstant) constant).elements();
            if (elements.isEmpty()) {
                return Boolean.FALSE;
            }
            boolean comparable = false;
            for (Constant element : elements) {
                Boolean equal = equal(value, element);
                if (equal == Boolean.TRUE) {
                    return Boolean.TRUE;
                }
                comparable |= equal != null;
            }
            return comparable ? Boolean.FALSE : null;
        }

        private Boolean equal(Object value, Constant against)
        {
            if (against instanceof StringConstant string) {
                return value instanceof String text ? text.equals(string.value()) : null;
            }
            if (against instanceof IntegerConstant integer) {
                return value instanceof BigDecimal number ? number.compareTo(new BigDecimal(integer.value())) == 0 : null;
            }
            if (against instanceof FloatConstant floating) {
                return value instanceof BigDecimal number ? number.compareTo(floating.value()) == 0 : null;
            }
            if (against instanceof BooleanConstant bool) {
                return value instanceof Boolean flag ? flag == bool.value() : null;
            }
            if (against instanceof TimestampConstant timestamp) {
                Instant instant = instant(value);
                return instant == null ? null : instant.equals(timestamp.value());
            }
            if (against instanceof BinaryConstant binary) {
                byte[] bytes = value instanceof String text ? bytes(text) : null;
                return bytes == null ? null : Arrays.equals(bytes, binary.bytes());
            }
            return null;
        }

        private Boolean order(Object value, java.util.function.IntPredicate verdict)
        {
            Integer result = null;
            if (constant instanceof StringConstant string && value instanceof String text) {
                result = compareCodePoints(text, string.value());
            }
            else if (constant instanceof IntegerConstant integer && value instanceof BigDecimal number) {
                result = number.compareTo(new BigDecimal(integer.value()));
            }
            else if (constant instanceof FloatConstant floating && value instanceof BigDecimal number) {
                result = number.compareTo(floating.value());
            }
            else if (constant instanceof TimestampConstant timestamp) {
                Instant instant = instant(value);
                result = instant == null ? null : instant.compareTo(timestamp.value());
            }
            else if (constant instanceof BinaryConstant binary && value instanceof String text) {
                byte[] bytes = bytes(text);
                result = bytes == null ? null : Arrays.compareUnsigned(bytes, binary.bytes());
            }
            return result == null ? null : verdict.test(result);
        }

        private byte[] bytes(String text)
        {
            try {
                return hexProperty ? HexFormat.of().parseHex(text) : Base64.getDecoder().decode(text);
            }
            catch (IllegalArgumentException e) {
                return null;
            }
        }

        private static Instant instant(Object value)
        {
            if (!(value instanceof String text) || text.length() < 20 || text.charAt(10) != 'T') {
                return null;
            }
            try {
                return Timestamps.parse(text);
            }
            catch (VigieException e) {
                return null;
            }
        }

        private static Boolean not(Boolean value)
        {
            return value == null ? null : !value;
        }

        private static int compareCodePoints(String left, String right)
        {
            int i = 0;
            int j = 0;
            while (i < left.length() && j < right.length()) {
                int a = left.codePointAt(i);
                int b = right.codePointAt(j);
                if (a != b) {
                    return Integer.compare(a, b);
                }
                i += Character.charCount(a);
                j += Character.charCount(b);
            }
            return Boolean.compare(i < left.length(), j < right.length());
        }

        private static String lastPropertyName(ObjectPath path)
        {
            List<ObjectPath.Step> steps = path.steps();
            for (int i = steps.size() - 1; i >= 0; i--) {
                if (steps.get(i) instanceof ObjectPath.Property property) {
                    return property.name();
                }
            }
            return "";
        }
    }
}
