package org.vigie.node.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.stix.json.StixJson;
import org.vigie.stix.validation.StixValidator;
import org.vigie.stix.validation.Violation;
import tools.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vigie.node.cli.CliRunner.run;

/** The designations of the shipped lists as STIX: a valid bundle on standard output, or stored once in a collection. */
class ListsStixCliTest
{
    // 730 individuals and 273 entities on the UN list, 8,976 SDN entries on the OFAC list.
    private static final int DESIGNATIONS = 730 + 273 + 8_976;

    @Test
    void designationsAsValidStixBundleAndStoredOnce(@TempDir Path directory)
    {
        String dataDirectory = directory.resolve("data").toString();
        CliRunner.Result printed = run("lists", "stix", "--data-dir", dataDirectory);
        assertThat(printed.exitCode()).as(printed.err()).isZero();
        JsonNode bundle = StixJson.parse(printed.out());
        assertThat(bundle.get("type").asString()).isEqualTo("bundle");
        JsonNode objects = bundle.get("objects");
        assertThat(objects).hasSize(DESIGNATIONS);

        StixValidator validator = StixValidator.create();
        List<Violation> violations = new ArrayList<>(validator.validateBundle(bundle));
        assertThat(violations).isEmpty();
        Set<String> ids = new HashSet<>();
        Set<String> types = new HashSet<>();
        for (JsonNode object : objects) {
            ids.add(object.get("id").asString());
            types.add(object.get("type").asString());
            assertThat(object.get("external_references")).isNotEmpty();
        }
        // One object per designation, and terrorist entities as threat actors.
        assertThat(ids).hasSize(DESIGNATIONS);
        assertThat(types).containsExactlyInAnyOrder("identity", "threat-actor");

        CliRunner.Result collection = run("collection", "add", "--data-dir", dataDirectory, "--title", "Designations");
        assertThat(collection.exitCode()).as(collection.err()).isZero();
        String collectionId = collection.out().strip();
        CliRunner.Result stored = run("lists", "stix", "--data-dir", dataDirectory, "--collection", collectionId);
        assertThat(stored.exitCode()).as(stored.err()).isZero();
        assertThat(stored.out()).contains(DESIGNATIONS + " objects, " + DESIGNATIONS + " stored, 0 already present");
        // Identifiers are derived from list and reference number, so a second run adds nothing.
        CliRunner.Result again = run("lists", "stix", "--data-dir", dataDirectory, "--collection", collectionId);
        assertThat(again.out()).contains(", 0 stored, " + DESIGNATIONS + " already present");

        CliRunner.Result unknown = run("lists", "stix", "--data-dir", dataDirectory, "--collection", "6ea3a2b1-5c40-4d8e-9d55-9bd1b1b2b1c0");
        assertThat(unknown.exitCode()).isEqualTo(Main.FAILURE);
        assertThat(unknown.err()).contains("6ea3a2b1-5c40-4d8e-9d55-9bd1b1b2b1c0").contains("does not exist");
    }
}
