package org.vigie.pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.vigie.stix.json.StixJson;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vigie.pattern.Fixtures.observedData;

/** Observation binding, qualifiers and FOLLOWEDBY over several observed-data objects; references and the embedded form. */
class EvaluatorTest
{
    private static final String A = "{\"type\":\"domain-name\",\"value\":\"a.example\"}";
    private static final String B = "{\"type\":\"domain-name\",\"value\":\"b.example\"}";

    /** Three observations: a.example at 10:00:00, b.example at 10:00:30, a.example at 10:02:00 (number_observed 1, 1, 2). */
    private static List<Observation> timeline()
    {
        List<JsonNode> objects = new ArrayList<>();
        objects.addAll(observedData("observed-data--00000000-0000-4000-8000-000000000001", "2024-03-01T10:00:00Z", 1, A));
        objects.addAll(observedData("observed-data--00000000-0000-4000-8000-000000000002", "2024-03-01T10:00:30Z", 1, B));
        objects.addAll(observedData("observed-data--00000000-0000-4000-8000-000000000003", "2024-03-01T10:02:00Z", 2, A));
        return Observation.fromObjects(objects);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            [domain-name:value = 'a.example']                                                   | 1;3
            [domain-name:value = 'c.example']                                                   |
            [domain-name:value = 'a.example'] AND [domain-name:value = 'b.example']            | 1,2;2,3
            [domain-name:value = 'a.example'] AND [domain-name:value = 'a.example']            | 1,3
            [domain-name:value = 'a.example'] OR [domain-name:value = 'b.example']             | 1;2;3
            [domain-name:value = 'a.example'] FOLLOWEDBY [domain-name:value = 'b.example']     | 1,2
            [domain-name:value = 'b.example'] FOLLOWEDBY [domain-name:value = 'a.example']     | 2,3
            ([domain-name:value = 'b.example'] FOLLOWEDBY [domain-name:value = 'a.example']) WITHIN 60 SECONDS |
            ([domain-name:value = 'b.example'] FOLLOWEDBY [domain-name:value = 'a.example']) WITHIN 90 SECONDS | 2,3
            ([domain-name:value = 'a.example'] FOLLOWEDBY [domain-name:value = 'b.example']) WITHIN 30 SECONDS | 1,2
            ([domain-name:value = 'a.example'] FOLLOWEDBY [domain-name:value = 'b.example']) WITHIN 29.999 SECONDS |
            [domain-name:value = 'a.example'] REPEATS 2 TIMES                                   | 3;1,3
            [domain-name:value = 'a.example'] REPEATS 3 TIMES                                   | 1,3
            [domain-name:value = 'a.example'] REPEATS 4 TIMES                                   |
            [domain-name:value = 'b.example'] REPEATS 2 TIMES                                   |
            [domain-name:value = 'a.example'] REPEATS 3 TIMES WITHIN 60 SECONDS                 |
            [domain-name:value = 'a.example'] START t'2024-03-01T10:01:00Z' STOP t'2024-03-01T10:03:00Z' | 3
            [domain-name:value = 'a.example'] START t'2024-03-01T10:00:00Z' STOP t'2024-03-01T10:02:00Z' | 1
            [domain-name:value = 'a.example'] START t'2024-03-01T10:00:00.001Z' STOP t'2024-03-01T10:02:00.001Z' | 3
            [domain-name:value = 'a.example'] AND [domain-name:value = 'b.example'] FOLLOWEDBY [domain-name:value = 'a.example'] | 1,2,3
            [domain-name:value = 'b.example'] OR [domain-name:value = 'a.example'] AND [domain-name:value = 'c.example'] | 2
            ([domain-name:value = 'b.example'] OR [domain-name:value = 'a.example']) AND [domain-name:value = 'b.example'] | 1,2;2,3
            """)
    void temporalSemantics(String pattern, String expected)
    {
        List<Observation> observations = timeline();
        List<String> actual = new ArrayList<>();
        for (PatternMatch match : CompiledPattern.parse(pattern).evaluate(observations)) {
            actual.add(String.join(",", match.observedDataIds().stream().map(id -> id.substring(id.length() - 1)).toList()));
        }
        List<String> wanted = expected == null ? List.of() : List.of(expected.split(";"));
        assertThat(actual).containsExactlyInAnyOrderElementsOf(wanted);
    }

    @Test
    void matchReportsSpanAndCount()
    {
        List<PatternMatch> matches = CompiledPattern.parse("[domain-name:value = 'a.example'] AND [domain-name:value = 'b.example']").evaluate(timeline());
        PatternMatch first = matches.get(0);
        assertThat(first.observedDataIds()).containsExactly("observed-data--00000000-0000-4000-8000-000000000001", "observed-data--00000000-0000-4000-8000-000000000002");
        assertThat(first.firstObserved()).isEqualTo(timeline().get(0).firstObserved());
        assertThat(first.lastObserved()).isEqualTo(timeline().get(1).lastObserved());
        assertThat(first.count()).isEqualTo(timeline().get(0).numberObserved() + timeline().get(1).numberObserved());
    }

    @Test
    void referencesAreFollowedThroughDeepChains()
    {
        // process -> parent_ref -> parent_ref -> ... five levels, and network-traffic -> dst_ref, and resolves_to_refs.
        List<String> scos = new ArrayList<>();
        for (int level = 0; level < 6; level++) {
            String parent = level < 5 ? ",\"parent_ref\":\"process--00000000-0000-4000-8000-00000000010" + (level + 1) + "\"" : "";
            scos.add("{\"type\":\"process\",\"id\":\"process--00000000-0000-4000-8000-00000000010" + level + "\",\"name\":\"p" + level + "\"" + parent
                    + (level > 0 ? ",\"referenced\":true" : "") + "}");
        }
        scos.add("{\"type\":\"ipv4-addr\",\"id\":\"ipv4-addr--00000000-0000-4000-8000-000000000201\",\"value\":\"203.0.113.9\",\"referenced\":true}");
        scos.add("{\"type\":\"network-traffic\",\"dst_ref\":\"ipv4-addr--00000000-0000-4000-8000-000000000201\",\"dst_port\":443}");
        scos.add("{\"type\":\"domain-name\",\"value\":\"x.example\",\"resolves_to_refs\":[\"ipv4-addr--00000000-0000-4000-8000-000000000201\"]}");
        Observation observation = Fixtures.observation("2024-03-01T10:00:00Z", scos.toArray(String[]::new));
        assertThat(Fixtures.matches("[process:parent_ref.parent_ref.parent_ref.parent_ref.parent_ref.name = 'p5']", observation)).isTrue();
        assertThat(Fixtures.matches("[process:parent_ref.parent_ref.name = 'p5']", observation)).isFalse();
        assertThat(Fixtures.matches("[process:parent_ref.parent_ref.parent_ref.parent_ref.parent_ref.parent_ref.name = 'p5']", observation)).isFalse();
        assertThat(Fixtures.matches("[network-traffic:dst_ref.value ISSUBSET '203.0.113.0/24' AND network-traffic:dst_port = 443]", observation)).isTrue();
        assertThat(Fixtures.matches("[domain-name:resolves_to_refs[*].value = '203.0.113.9']", observation)).isTrue();
        assertThat(Fixtures.matches("[domain-name:resolves_to_refs[0].value = '203.0.113.9']", observation)).isTrue();
        assertThat(Fixtures.matches("[domain-name:resolves_to_refs[1].value = '203.0.113.9']", observation)).isFalse();
        // Only objects named by object_refs are roots: the referenced ipv4-addr is not observed by itself.
        assertThat(Fixtures.matches("[ipv4-addr:value = '203.0.113.9']", observation)).isFalse();
    }

    @Test
    void referenceCyclesEnd()
    {
        String first = "{\"type\":\"process\",\"id\":\"process--00000000-0000-4000-8000-000000000301\",\"name\":\"a\",\"parent_ref\":\"process--00000000-0000-4000-8000-000000000302\"}";
        String second = "{\"type\":\"process\",\"id\":\"process--00000000-0000-4000-8000-000000000302\",\"name\":\"b\",\"parent_ref\":\"process--00000000-0000-4000-8000-000000000301\",\"referenced\":true}";
        Observation observation = Fixtures.observation("2024-03-01T10:00:00Z", first, second);
        assertThat(Fixtures.matches("[process:parent_ref.parent_ref.parent_ref.name = 'b']", observation)).isTrue();
        assertThat(Fixtures.matches("[process:parent_ref.parent_ref.name = 'b']", observation)).isFalse();
    }

    @Test
    void deprecatedEmbeddedObjectsForm()
    {
        JsonNode observedData = StixJson.parse("""
                {"type":"observed-data","id":"observed-data--00000000-0000-4000-8000-000000000009","first_observed":"2024-03-01T10:00:00Z",
                 "last_observed":"2024-03-01T10:00:00Z","number_observed":1,
                 "objects":{"0":{"type":"ipv4-addr","value":"198.51.100.3"},
                            "1":{"type":"network-traffic","src_ref":"0","dst_port":80,"protocols":["tcp"]}}}
                """);
        List<Observation> observations = Observation.fromObjects(List.of(observedData));
        assertThat(observations).hasSize(1);
        assertThat(CompiledPattern.parse("[network-traffic:src_ref.value = '198.51.100.3' AND network-traffic:protocols[*] = 'tcp']").evaluate(observations)).hasSize(1);
        assertThat(CompiledPattern.parse("[ipv4-addr:value = '198.51.100.3']").evaluate(observations)).hasSize(1);
    }
}
