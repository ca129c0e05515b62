package org.vigie.node.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.node.config.NodeConfig;
import org.vigie.node.server.NodeStores;
import org.vigie.node.server.VigieNode;
import org.vigie.stix.StixObject;
import org.vigie.stix.Timestamps;
import org.vigie.stix.json.StixJson;
import org.vigie.taxii.auth.PasswordHasher;
import org.vigie.taxii.client.ClientCredentials;
import org.vigie.taxii.client.ObjectsQuery;
import org.vigie.taxii.client.TaxiiClient;
import org.vigie.taxii.client.TaxiiResources;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * MITRE ATT&CK for ICS 17.1 then 18.1 imported into a running node (the import runs beside the server, on
 * the same SQLite file), then read back over real HTTP with the TAXII client.
 */
class RealDataTest
{
    private static final Path RELEASE_17 = Path.of("../testdata/stix/ics-attack-17.1.json");
    private static final Path RELEASE_18 = Path.of("../testdata/stix/ics-attack-18.1.json");

    @Test
    void attackForIcsTwoReleases(@TempDir Path directory)
            throws IOException
    {
        Path dataDirectory = directory.resolve("data");
        NodeConfig config = NodeConfig.load(dataDirectory, Map.of("http.port", "0"));
        try (VigieNode node = VigieNode.start(config, InstantSource.system(), NodeStores::open, PasswordHasher.withIterations(1_000))) {
            String collectionId = node.collections().get(0).id();
            String password = node.initialization().administratorPassword().orElseThrow();

            CliRunner.Result first = CliRunner.run("import", "--data-dir", dataDirectory.toString(), "--collection", collectionId, RELEASE_17.toString());
            assertThat(first.exitCode()).as(first.toString()).isZero();
            CliRunner.Result second = CliRunner.run("import", "--data-dir", dataDirectory.toString(), "--collection", collectionId, RELEASE_18.toString());
            // Nothing is rejected: custom types and properties (x-mitre-*, x_mitre_*) are kept as they are.
            assertThat(second.exitCode()).as(second.toString()).isZero();
            assertThat(second.out()).contains(" 0 rejected");

            // Every distinct (id, version) of both releases is stored: identical re-publications are duplicates.
            Map<String, Set<String>> versionsById = new HashMap<>();
            Map<String, Integer> latestIdsByType = new TreeMap<>();
            for (Path release : List.of(RELEASE_17, RELEASE_18)) {
                for (JsonNode object : StixJson.parse(Files.readString(release)).get("objects")) {
                    StixObject header = StixObject.fromTree(object, object.toString());
                    if (versionsById.computeIfAbsent(header.id(), id -> new TreeSet<>()).add(header.version().orElseThrow().toString())
                            && versionsById.get(header.id()).size() == 1) {
                        latestIdsByType.merge(header.type(), 1, Integer::sum);
                    }
                }
            }
            long distinctVersions = versionsById.values().stream().mapToLong(Set::size).sum();
            assertThat(node.store().countObjects(collectionId)).isEqualTo(distinctVersions);

            TaxiiClient client = TaxiiClient.builder(node.baseUri())
                    .apiRoot(config.server().apiRoot())
                    .credentials(ClientCredentials.basic(config.administratorName(), password))
                    .build();

            // Custom object types are served like any other.
            assertThat(latestIdsByType).containsKeys("x-mitre-tactic", "x-mitre-matrix", "x-mitre-collection");
            for (String customType : List.of("x-mitre-tactic", "x-mitre-matrix", "x-mitre-data-component")) {
                Set<String> served = new HashSet<>();
                for (JsonNode object : client.allObjects(collectionId, ObjectsQuery.all().withTypes(customType).withLimit(50))) {
                    assertThat(object.get("type").asString()).isEqualTo(customType);
                    served.add(object.get("id").asString());
                }
                assertThat(served).as(customType).hasSize(latestIdsByType.get(customType));
            }

            // An object re-versioned by 18.1 shows both versions with match[version]=all.
            String reversioned = versionsById.entrySet().stream()
                    .filter(entry -> entry.getValue().size() >= 2)
                    .map(Map.Entry::getKey)
                    .sorted()
                    .findFirst()
                    .orElseThrow();
            TaxiiResources.Versions versions = client.versions(collectionId, reversioned, ObjectsQuery.all());
            assertThat(versions.versions()).hasSize(versionsById.get(reversioned).size());
            TaxiiResources.Envelope all = client.getObject(collectionId, reversioned, ObjectsQuery.all().withVersions("all"));
            assertThat(all.objects()).hasSize(versionsById.get(reversioned).size());
            TaxiiResources.Envelope latest = client.getObject(collectionId, reversioned, ObjectsQuery.all());
            Instant newest = versionsById.get(reversioned).stream().map(Instant::parse).max(Comparator.naturalOrder()).orElseThrow();
            assertThat(latest.objects()).singleElement()
                    .satisfies(object -> assertThat(Timestamps.parse(object.get("modified").asString())).isEqualTo(newest));
            long allVersionsCount = 0;
            for (JsonNode ignored : client.allObjects(collectionId, ObjectsQuery.all().withVersions("all").withLimit(1000))) {
                allVersionsCount++;
            }
            assertThat(allVersionsCount).isEqualTo(distinctVersions);

            // The export holds every version and re-validates with exactly the findings of the sources.
            CliRunner.Result export = CliRunner.run("export", "--data-dir", dataDirectory.toString(), "--collection", collectionId, "--all-versions");
            assertThat(export.exitCode()).isZero();
            Path exported = directory.resolve("export.json");
            Files.writeString(exported, export.out());
            assertThat(StixJson.parse(export.out()).get("objects").size()).isEqualTo((int) distinctVersions);
            CliRunner.Result sourceValidation = CliRunner.run("validate", RELEASE_17.toString(), RELEASE_18.toString());
            CliRunner.Result exportValidation = CliRunner.run("validate", exported.toString());
            assertThat(violations(exportValidation.out())).isEqualTo(violations(sourceValidation.out()));
        }
    }

    /** Violation lines without their file name. */
    private static Set<String> violations(String output)
    {
        Set<String> lines = new TreeSet<>();
        output.lines().forEach(line -> lines.add(line.substring(line.indexOf(".json: ") + ".json: ".length())));
        return lines;
    }
}
