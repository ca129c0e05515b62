package org.vigie.pattern.cli;

import org.junit.jupiter.api.Test;
import org.vigie.pattern.Fixtures;
import org.vigie.stix.BundleReader;
import org.vigie.stix.ParsedObject;
import org.vigie.stix.Timestamps;
import org.vigie.stix.json.StixJson;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ToolsTest
{
    private static final Instant NOW = Instant.parse("2024-03-02T00:00:00Z");

    @Test
    void validateReportsEachPatternAndExitCode()
    {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        assertThat(PatternValidateTool.run(List.of("[file:name = 'a']"), out)).isZero();
        assertThat(PatternValidateTool.run(List.of("[file:name = 'a']", "[file:name = 'a'"), out)).isEqualTo(1);
        assertThat(PatternValidateTool.run(List.of(), out)).isEqualTo(2);
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines[0]).isEqualTo("valid: [file:name = 'a']");
        assertThat(lines[1]).isEqualTo("valid: [file:name = 'a']");
        assertThat(lines[2]).startsWith("invalid: [file:name = 'a': invalid pattern at column 17");
    }

    @Test
    void evalWritesOneLinePerCase()
    {
        List<JsonNode> observed = new ArrayList<>();
        observed.addAll(Fixtures.observedData("observed-data--00000000-0000-4000-8000-000000000001", "2024-03-01T10:00:00Z", 1, "{\"type\":\"domain-name\",\"value\":\"a.example\"}"));
        observed.addAll(Fixtures.observedData("observed-data--00000000-0000-4000-8000-000000000002", "2024-03-01T10:00:10Z", 1, "{\"type\":\"domain-name\",\"value\":\"b.example\"}"));
        String input = line("[domain-name:value = 'a.example'] FOLLOWEDBY [domain-name:value = 'b.example']", observed) + "\n"
                + line("[domain-name:value = 'c.example']", observed) + "\n"
                + "\n"
                + line("[domain-name:value = ", observed) + "\n"
                + "{not json\n";
        StringWriter out = new StringWriter();
        assertThat(PatternEvalTool.run(new BufferedReader(new StringReader(input)), out)).isZero();
        List<JsonNode> results = out.toString().lines().map(StixJson::parse).toList();
        assertThat(results).hasSize(4);
        assertThat(results.get(0).get("result").stringValue()).isEqualTo("match");
        assertThat(results.get(0).get("matched").toString()).isEqualTo("[\"observed-data--00000000-0000-4000-8000-000000000001\",\"observed-data--00000000-0000-4000-8000-000000000002\"]");
        assertThat(results.get(1).get("result").stringValue()).isEqualTo("no-match");
        assertThat(results.get(1).get("matched").isEmpty()).isTrue();
        assertThat(results.get(2).get("result").stringValue()).isEqualTo("invalid");
        assertThat(results.get(2).get("error").stringValue()).contains("column");
        assertThat(results.get(3).get("result").stringValue()).isEqualTo("invalid");
        assertThat(results.get(3).get("error").stringValue()).contains("malformed JSON");
    }

    @Test
    void matchWritesDeterministicSightingsFromBundlesAndJsonLines()
            throws IOException
    {
        List<JsonNode> indicators = readAll(new FileInputStream(Path.of("../testdata/stix-examples/indicator-for-c2-ip-address.json").toFile()));
        JsonNode indicator = indicators.stream().filter(object -> object.path("type").asString("").equals("indicator")).findFirst().orElseThrow();
        String pattern = indicator.get("pattern").stringValue();
        // The OASIS example indicator is an equality on one IPv4 address: observe that address.
        String address = pattern.substring(pattern.indexOf('\'') + 1, pattern.lastIndexOf('\''));

        List<JsonNode> first = Fixtures.observedData("observed-data--00000000-0000-4000-8000-0000000000a1", "2024-03-01T10:00:00Z", 3, "{\"type\":\"ipv4-addr\",\"value\":\"" + address + "\"}");
        List<JsonNode> second = Fixtures.observedData("observed-data--00000000-0000-4000-8000-0000000000a2", "2024-03-01T11:00:00Z", 1, "{\"type\":\"ipv4-addr\",\"value\":\"192.0.2.200\"}");
        ObjectNode bundle = StixJson.mapper().createObjectNode();
        bundle.put("type", "bundle");
        bundle.put("id", "bundle--00000000-0000-4000-8000-0000000000b1");
        ArrayNode objects = bundle.putArray("objects");
        first.forEach(objects::add);
        // JSON lines after the bundle: the SCO line precedes its observed-data line, and one observed-data waits for its SCO.
        StringBuilder input = new StringBuilder(StixJson.compact(bundle)).append('\n');
        input.append(StixJson.compact(second.get(1))).append('\n').append(StixJson.compact(second.get(0))).append('\n');
        List<JsonNode> third = Fixtures.observedData("observed-data--00000000-0000-4000-8000-0000000000a3", "2024-03-01T12:00:00Z", 1, "{\"type\":\"ipv4-addr\",\"value\":\"" + address + "\"}");
        input.append(StixJson.compact(third.get(0))).append('\n').append(StixJson.compact(third.get(1))).append('\n');

        String output = run(indicators, input.toString());
        String again = run(indicators, input.toString());
        assertThat(output).isEqualTo(again);

        List<JsonNode> sightings = output.lines().map(StixJson::parse).toList();
        assertThat(sightings).hasSize(2);
        JsonNode sighting = sightings.get(0);
        assertThat(sighting.get("type").stringValue()).isEqualTo("sighting");
        assertThat(sighting.get("spec_version").stringValue()).isEqualTo("2.1");
        assertThat(sighting.get("id").stringValue()).matches("sighting--[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat(sighting.get("sighting_of_ref").stringValue()).isEqualTo(indicator.get("id").stringValue());
        assertThat(sighting.get("observed_data_refs").get(0).stringValue()).isEqualTo(first.get(0).get("id").stringValue());
        assertThat(sighting.get("count").intValue()).isEqualTo(first.get(0).get("number_observed").intValue());
        assertThat(sighting.get("first_seen").stringValue()).isEqualTo(Timestamps.format(Instant.parse("2024-03-01T10:00:00Z")));
        assertThat(sighting.get("created").stringValue()).isEqualTo(Timestamps.format(NOW));
        assertThat(sighting.get("created_by_ref").stringValue()).isEqualTo("identity--00000000-0000-4000-8000-0000000000c1");
        assertThat(sightings.get(1).get("observed_data_refs").get(0).stringValue()).isEqualTo(third.get(0).get("id").stringValue());
        assertThat(sightings.get(1).get("id").stringValue()).isNotEqualTo(sighting.get("id").stringValue());
    }

    private static String run(List<JsonNode> indicators, String input)
    {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MatchTool.Summary summary = MatchTool.run(indicators, new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), out, () -> NOW,
                Optional.of("identity--00000000-0000-4000-8000-0000000000c1"));
        assertThat(summary.indicatorsLoaded()).isEqualTo(1);
        assertThat(summary.indicatorErrors()).isEmpty();
        assertThat(summary.observationErrors()).isEmpty();
        assertThat(summary.observations()).isEqualTo(3);
        assertThat(summary.sightings()).isEqualTo(2);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static List<JsonNode> readAll(InputStream in)
    {
        List<JsonNode> objects = new ArrayList<>();
        try (BundleReader reader = BundleReader.open(in)) {
            while (reader.hasNext()) {
                ParsedObject object = reader.next();
                objects.add(object.tree());
            }
        }
        return objects;
    }

    private static String line(String pattern, List<JsonNode> observed)
    {
        ObjectNode line = StixJson.mapper().createObjectNode();
        line.put("pattern", pattern);
        ArrayNode array = line.putArray("observed");
        observed.forEach(array::add);
        return StixJson.compact(line);
    }
}
