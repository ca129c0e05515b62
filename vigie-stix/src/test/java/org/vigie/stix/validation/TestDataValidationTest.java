package org.vigie.stix.validation;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.vigie.stix.BundleReader;
import org.vigie.stix.ParsedObject;
import org.vigie.stix.json.StixJson;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OASIS example bundles and the ATT&CK for ICS bundles of ../testdata validate without violation.
 * ATT&CK for ICS 18.1 has deprecated x-mitre-data-component objects with {@code "x_mitre_data_source_ref": ""}:
 * a custom property, so not bound by the reference rules; it is reported as a warning only.
 */
class TestDataValidationTest
{
    // The objects whose custom x_mitre_data_source_ref holds no identifier, computed from the data itself.
    private static List<String> emptyCustomReferences(JsonNode bundle)
    {
        List<String> ids = new ArrayList<>();
        for (JsonNode object : bundle.path("objects")) {
            JsonNode reference = object.get("x_mitre_data_source_ref");
            if (reference != null && reference.isString() && reference.stringValue().isEmpty()) {
                ids.add(object.get("id").stringValue());
            }
        }
        return ids;
    }

    private static final Path TEST_DATA = Path.of("..", "testdata");

    @TestFactory
    Stream<DynamicTest> testDataValidates()
            throws IOException
    {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Stream.concat(Files.walk(TEST_DATA.resolve("stix-examples")), Files.walk(TEST_DATA.resolve("stix")))) {
            walk.filter(path -> path.toString().endsWith(".json")).sorted().forEach(files::add);
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(10);
        StixValidator validator = StixValidator.create();
        return files.stream().map(file -> DynamicTest.dynamicTest(TEST_DATA.relativize(file).toString(), () -> {
            // Whole-tree validation of the bundle, and streamed validation of each object, agree.
            List<Violation> whole = validator.validate(StixJson.parse(Files.readString(file)));
            List<Violation> streamed = new ArrayList<>();
            int count = 0;
            try (InputStream in = Files.newInputStream(file); BundleReader reader = BundleReader.open(in)) {
                while (reader.hasNext()) {
                    ParsedObject object = reader.next();
                    streamed.addAll(validator.validate(object.tree()));
                    count++;
                }
            }
            catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            assertThat(count).isPositive();
            assertThat(whole).isEmpty();
            assertThat(streamed).isEmpty();
            JsonNode bundle = StixJson.parse(Files.readString(file));
            if (file.getFileName().toString().equals("ics-attack-18.1.json")) {
                // The case this test is about is in the data.
                assertThat(emptyCustomReferences(bundle)).isNotEmpty();
            }
            assertThat(validator.warnings(bundle))
                    .allSatisfy(warning -> assertThat(warning.rule()).isEqualTo(Rules.CUSTOM_REFERENCE))
                    .extracting(Violation::objectId)
                    .containsExactlyElementsOf(emptyCustomReferences(bundle));
        }));
    }
}
