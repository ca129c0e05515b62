package org.vigie.node.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.node.generate.StixGenerator;
import org.vigie.stix.json.StixJson;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class PatternCliTest
{
    @Test
    void validateAndEvaluatePatterns()
    {
        CliRunner.Result valid = CliRunner.run("pattern", "validate", "[ipv4-addr:value = '198.51.100.7']", "[domain-name:value = 'example.com'] OR [url:value = 'https://example.com/']");
        assertThat(valid.exitCode()).as(valid.toString()).isZero();
        assertThat(valid.out().lines()).hasSize(2).allMatch(line -> line.startsWith("valid: "));

        CliRunner.Result invalid = CliRunner.run("pattern", "validate", "[ipv4-addr:value = '198.51.100.7']", "[ipv4-addr:value = ");
        assertThat(invalid.exitCode()).isEqualTo(Main.INVALID_INPUT);
        assertThat(invalid.out()).contains("invalid: [ipv4-addr:value = ");

        String observed = observedData("observed-data--b67d30ff-02ac-498a-92f9-32f845f448cf", "198.51.100.7");
        CliRunner.Result evaluation = CliRunner.runWithInput(
                "{\"pattern\":\"[ipv4-addr:value = '198.51.100.7']\",\"observed\":[" + observed + "]}\n"
                        + "{\"pattern\":\"[ipv4-addr:value = '203.0.113.1']\",\"observed\":[" + observed + "]}\n",
                "pattern", "eval");
        assertThat(evaluation.exitCode()).isZero();
        List<JsonNode> results = evaluation.out().lines().map(StixJson::parse).toList();
        assertThat(results).extracting(result -> result.get("result").asString()).containsExactly("match", "no-match");
    }

    @Test
    void matchWritesOneSightingPerMatchingObservation(@TempDir Path directory)
            throws IOException
    {
        long seed = new Random().nextLong();
        List<String> objects = StixGenerator.create(seed).next(400);
        Path indicators = directory.resolve("indicators.json");
        Files.writeString(indicators, "[" + String.join(",", objects) + "]");
        JsonNode indicator = objects.stream()
                .map(StixJson::parse)
                .filter(object -> object.get("type").asString().equals("indicator") && object.get("pattern").asString().startsWith("[ipv4-addr:value = '"))
                .findFirst()
                .orElseThrow();
        String pattern = indicator.get("pattern").asString();
        String address = pattern.substring(pattern.indexOf('\'') + 1, pattern.lastIndexOf('\''));
        Path observations = directory.resolve("observations.json");
        Files.writeString(observations, "[" + observedData("observed-data--b67d30ff-02ac-498a-92f9-32f845f448cf", address) + ","
                + observedData("observed-data--c67d30ff-02ac-498a-92f9-32f845f448cf", "192.0.2.255") + "]");

        CliRunner.Result result = CliRunner.run("match", "--indicators", indicators.toString(), observations.toString());
        assertThat(result.exitCode()).as("seed %s: %s", seed, result).isZero();
        List<JsonNode> sightings = result.out().lines().map(StixJson::parse).toList();
        assertThat(sightings).isNotEmpty().allSatisfy(sighting -> {
            assertThat(sighting.get("type").asString()).isEqualTo("sighting");
            assertThat(sighting.get("observed_data_refs").get(0).asString()).isEqualTo("observed-data--b67d30ff-02ac-498a-92f9-32f845f448cf");
        });
        assertThat(sightings).anySatisfy(sighting -> assertThat(sighting.get("sighting_of_ref").asString()).isEqualTo(indicator.get("id").asString()));
        assertThat(result.err()).contains("2 observations").contains(sightings.size() + " sightings");

        // The same indicators taken from a collection of the store give the same sightings.
        String dataDirectory = directory.resolve("data").toString();
        String collectionId = CliRunner.run("collection", "add", "--data-dir", dataDirectory, "--title", "Indicators").out().strip();
        assertThat(CliRunner.run("import", "--data-dir", dataDirectory, "--collection", collectionId, indicators.toString()).exitCode()).isZero();
        CliRunner.Result fromStore = CliRunner.run("match", "--data-dir", dataDirectory, "--collection", collectionId, observations.toString());
        assertThat(fromStore.exitCode()).as(fromStore.toString()).isZero();
        assertThat(fromStore.out().lines().map(StixJson::parse).map(sighting -> sighting.get("sighting_of_ref").asString()).sorted().toList())
                .isEqualTo(sightings.stream().map(sighting -> sighting.get("sighting_of_ref").asString()).sorted().toList());

        CliRunner.Result neither = CliRunner.run("match", observations.toString());
        assertThat(neither.exitCode()).isEqualTo(Main.INVALID_INPUT);
        assertThat(neither.err()).contains("--indicators").contains("--collection");
    }

    private static String observedData(String id, String address)
    {
        return "{\"type\":\"observed-data\",\"spec_version\":\"2.1\",\"id\":\"" + id + "\",\"created\":\"2024-03-01T00:00:00.000Z\",\"modified\":\"2024-03-01T00:00:00.000Z\","
                + "\"first_observed\":\"2024-03-01T00:00:00Z\",\"last_observed\":\"2024-03-01T00:00:00Z\",\"number_observed\":1,"
                + "\"objects\":{\"0\":{\"type\":\"ipv4-addr\",\"value\":\"" + address + "\"}}}";
    }
}
