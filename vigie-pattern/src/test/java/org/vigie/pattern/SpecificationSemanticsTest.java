package org.vigie.pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.vigie.pattern.match.BulkMatcher;
import org.vigie.pattern.match.Indicator;
import org.vigie.pattern.match.Match;
import org.vigie.pattern.match.MatcherOptions;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Semantics checked against the STIX 2.1 patterning section and the OASIS reference matcher
 * (oasis-open/cti-pattern-matcher), each case run through both the naive evaluator and the bulk matcher.
 *
 * <p>Type mismatches and NOT (STIX 2.1 section 9.5, Comparison Operators). The specification's sentence
 * "A Comparison Operator MAY be preceded by the modifier NOT, in which case the resultant Comparison
 * Expression is logically negated" is quoted in oasis-open/cti-stix2-json-schemas#157 and
 * oasis-tcs/cti-stix2#85; the rule that only {@code !=} is true when the types are incompatible is quoted
 * from the STIX 2.0 patterning text (part 5, section 4.2.1) in oasis-open/cti-pattern-matcher#42, resolved
 * by #45 so that NOT turns a mismatch into true. The vectors below with the {@code test} object are the
 * matcher's {@code stix2matcher/test/v21/test_basic_ops.py}; those with {@code null-test} are its
 * {@code test_null.py} (with the type spelled {@code null_test} there, which is not a STIX type name).
 *
 * <p>Timing. The qualifier table (STIX 2.1 section 9.5.1, per oasis-tcs/cti-stix2#270) says of
 * {@code a START x STOP y}, in the 2.0 wording quoted in oasis-tcs/cti-stix2#81: "All Observations that match
 * a MUST have an observation time >= x and < y"; it does not say which instant of an observed-data's
 * [first_observed, last_observed] is its observation time. The matcher's pull request #34 accepts a binding when a timestamp
 * can be chosen inside each observation's [first_observed, last_observed] that satisfies the constraint;
 * the WITHIN vectors with intervals are its {@code stix2matcher/test/v21/test_temporal_qualifiers.py}
 * ({@code test_within_match}, {@code test_within_nomatch}). The FOLLOWEDBY and START/STOP interval cases
 * follow the same rule (the matcher's {@code exitObservationExpressions} and
 * {@code exitObservationExpressionStartStop}); the specification's wording for FOLLOWEDBY and WITHIN was
 * not available.
 */
class SpecificationSemanticsTest
{
    private static final String TEST_OBJECT = "{\"type\":\"test\",\"int\":5,\"float\":12.658,\"float_int\":12.0,\"bool\":true,\"string\":\"hello\","
            + "\"ip\":\"11.22.33.44\",\"cidr\":\"11.22.33.44/20\"}";
    private static final String NULL_OBJECT = "{\"type\":\"null-test\",\"name\":null}";

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            [test:int != 'world']                        | true
            [test:int NOT = true]                        | true
            [test:int != h'010203']                      | true
            [test:int != b'AQIDBA==']                    | true
            [test:int != t'1965-07-19T22:41:38Z']        | true
            [test:int NOT IN ('a', 'b', 'c')]            | true
            [test:int NOT MATCHES 'l+']                  | true
            [test:int NOT LIKE 'he%']                    | true
            [test:int > 4.9]                             | true
            [test:float != false]                        | true
            [test:float_int IN (11, 12, 13)]             | true
            [test:float_int IN (11.1, 12, 13)]           | true
            [test:int IN (-4, 5, 6.6)]                   | true
            [test:int NOT IN (-4, 5, 6.6)]               | false
            [test:bool != 1]                             | true
            [test:bool NOT LIKE 'he%']                   | true
            [test:string != 1]                           | true
            [test:string NOT IN (1, 2, 3)]               | true
            [test:string NOT IN ()]                      | true
            [test:int NOT ISSUBSET '11.22.33.44']        | true
            [test:bool NOT ISSUPERSET '11.22.33.44']     | true
            [test:ip NOT ISSUBSET '11.22.123.41/20']     | true
            [test:int = 'world']                         | false
            [test:int > h'010203']                       | false
            [test:int < b'AQIDBA==']                     | false
            [test:int = t'1965-07-19T22:41:38Z']         | false
            [test:int LIKE 'he%']                        | false
            [test:int MATCHES 'l+']                      | false
            [test:int ISSUBSET '11.22.33.44']            | false
            [test:float NOT != 'world']                  | false
            [test:float > h'010203']                     | false
            [test:bool MATCHES 'l+']                     | false
            [test:string IN (1, 2, 3)]                   | false
            [test:string IN ()]                          | false
            [test:string NOT MATCHES 'l+']               | false
            """)
    void typeMismatchesAndNotFollowTheReferenceVectors(String pattern, boolean expected)
    {
        assertThat(matchesBoth(pattern, observationOf(TEST_OBJECT))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            [null-test:name != 'alice']                  | true
            [null-test:name NOT = 'alice']               | true
            [null-test:name > 'alice']                   | false
            [null-test:name <= 'alice']                  | false
            [null-test:name = 'alice']                   | false
            [null-test:name IN ('alice', 'bob', 'carol')] | false
            [null-test:name LIKE 'alice']                | false
            [null-test:name MATCHES 'alice']             | false
            [null-test:name ISSUBSET '12.23.32.12/14']   | false
            [null-test:name ISSUPERSET '12.23.32.12/14'] | false
            """)
    void jsonNullIsAValueOfNoConstantsType(String pattern, boolean expected)
    {
        assertThat(matchesBoth(pattern, observationOf(NULL_OBJECT))).isEqualTo(expected);
    }

    /**
     * A property that is not there gives no value to compare, so NOT and != do not make it true: the
     * reference matcher drops an object when a path step cannot be taken ({@code _step_into_objs}).
     */
    @ParameterizedTest(name = "{0} -> false")
    @CsvSource(delimiter = '|', textBlock = """
            [test:absent != 'x']
            [test:absent NOT = 'x']
            [test:absent NOT LIKE 'x%']
            [test:absent NOT IN (1, 2)]
            [test:absent NOT > 3]
            [test:int.deeper != 5]
            """)
    void missingPropertyIsFalseWithOrWithoutNot(String pattern)
    {
        assertThat(matchesBoth(pattern, observationOf(TEST_OBJECT))).isFalse();
        // The same comparison on a property that is there holds, so it is the absence that decides.
        assertThat(matchesBoth("[test:int != 'x']", observationOf(TEST_OBJECT))).isTrue();
    }

    /** test_within_match / test_within_nomatch: alice over interval 1, bob over interval 2; {@code _1}..{@code _5} are seconds 0..4. */
    @ParameterizedTest(name = "alice {0}..{1}, bob {2}..{3}, WITHIN {4} -> {5}")
    @CsvSource(textBlock = """
            0, 0, 0, 0, 1, true
            0, 0, 0, 1, 1, true
            0, 0, 0, 1, 2, true
            0, 1, 1, 2, 1, true
            0, 1, 2, 3, 1, true
            0, 3, 1, 2, 1, true
            0, 2, 1, 3, 1, true
            0, 1, 3, 4, 2, true
            0, 1, 3, 4, 1, false
            0, 0, 3, 4, 2, false
            0, 1, 4, 4, 2, false
            """)
    void withinAcceptsWhenAnInstantOfEachIntervalFitsTheWindow(int aliceFirst, int aliceLast, int bobFirst, int bobLast, int seconds, boolean expected)
    {
        List<Observation> observations = Observation.fromObjects(concatenate(
                Fixtures.observedData("observed-data--00000000-0000-4000-8000-000000000001", second(aliceFirst), second(aliceLast), 1, "{\"type\":\"person\",\"name\":\"alice\"}"),
                Fixtures.observedData("observed-data--00000000-0000-4000-8000-000000000002", second(bobFirst), second(bobLast), 1, "{\"type\":\"person\",\"name\":\"bob\"}")));
        String pattern = "([person:name='alice'] AND [person:name='bob']) WITHIN " + seconds + " SECONDS";
        assertThat(matchesBoth(pattern, observations)).isEqualTo(expected);
    }

    /** FOLLOWEDBY and START/STOP over intervals, by the same rule: some instant of each interval satisfies the order. */
    @ParameterizedTest(name = "{0}: a {1}..{2}, b {3}..{4} -> {5}")
    @CsvSource(delimiter = '|', textBlock = """
            [person:name = 'a'] FOLLOWEDBY [person:name = 'b']                           | 0  | 60 | 30 | 30 | true
            [person:name = 'b'] FOLLOWEDBY [person:name = 'a']                           | 0  | 60 | 30 | 30 | true
            [person:name = 'a'] FOLLOWEDBY [person:name = 'b']                           | 40 | 60 | 0  | 39 | false
            [person:name = 'b'] FOLLOWEDBY [person:name = 'a']                           | 40 | 60 | 0  | 40 | true
            ([person:name = 'a'] FOLLOWEDBY [person:name = 'b']) WITHIN 10 SECONDS       | 0  | 20 | 30 | 40 | true
            ([person:name = 'a'] FOLLOWEDBY [person:name = 'b']) WITHIN 9 SECONDS        | 0  | 20 | 30 | 40 | false
            [person:name = 'a'] START t'2000-01-01T00:00:30Z' STOP t'2000-01-01T00:00:31Z' | 0  | 60 | 90 | 90 | true
            [person:name = 'a'] START t'2000-01-01T00:01:00Z' STOP t'2000-01-01T00:01:01Z' | 0  | 60 | 90 | 90 | true
            [person:name = 'a'] START t'2000-01-01T00:01:00.001Z' STOP t'2000-01-01T00:02:00Z' | 0 | 60 | 90 | 90 | false
            [person:name = 'b'] START t'2000-01-01T00:00:00Z' STOP t'2000-01-01T00:01:30Z' | 0  | 60 | 90 | 90 | false
            """)
    void followedByAndStartStopOverIntervals(String pattern, int aFirst, int aLast, int bFirst, int bLast, boolean expected)
    {
        List<Observation> observations = Observation.fromObjects(concatenate(
                Fixtures.observedData("observed-data--00000000-0000-4000-8000-000000000001", second(aFirst), second(aLast), 1, "{\"type\":\"person\",\"name\":\"a\"}"),
                Fixtures.observedData("observed-data--00000000-0000-4000-8000-000000000002", second(bFirst), second(bLast), 1, "{\"type\":\"person\",\"name\":\"b\"}")));
        assertThat(matchesBoth(pattern, observations)).isEqualTo(expected);
    }

    private static Observation observationOf(String sco)
    {
        return Fixtures.observation("2014-04-19T06:51:26Z", sco);
    }

    private static boolean matchesBoth(String pattern, Observation observation)
    {
        return matchesBoth(pattern, List.of(observation));
    }

    /** The verdict of the naive evaluator, after checking that the bulk matcher, fed the same stream, reaches the same one. */
    private static boolean matchesBoth(String pattern, List<Observation> observations)
    {
        CompiledPattern compiled = CompiledPattern.parse(pattern);
        boolean naive = !compiled.evaluate(observations).isEmpty();
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        BulkMatcher matcher = BulkMatcher.create(() -> now, MatcherOptions.DEFAULT);
        matcher.upsert(new Indicator("indicator--00000000-0000-4000-8000-0000000000aa", now, compiled, Optional.empty(), Optional.empty(), false));
        List<Match> matches = new ArrayList<>();
        for (Observation observation : observations) {
            matches.addAll(matcher.match(observation));
        }
        assertThat(!matches.isEmpty()).as("bulk matcher on %s", pattern).isEqualTo(naive);
        return naive;
    }

    private static String second(int second)
    {
        return "2000-01-01T00:" + String.format("%02d:%02d", second / 60, second % 60) + "Z";
    }

    @SafeVarargs
    private static List<JsonNode> concatenate(List<JsonNode>... parts)
    {
        List<JsonNode> all = new ArrayList<>();
        for (List<JsonNode> part : parts) {
            all.addAll(part);
        }
        return all;
    }
}
