package org.vigie.stix;

import org.vigie.stix.validation.StixValidator;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A quick throughput figure (not a test, not JMH): reads and validates the ATT&CK for ICS bundle
 * repeatedly on one thread. Run from the module directory:
 * {@code java -cp target/classes:target/test-classes:<jackson jars> org.vigie.stix.Throughput}.
 */
public final class Throughput
{
    private Throughput() {}

    public static void main(String[] args)
            throws Exception
    {
        byte[] bytes = Files.readAllBytes(Path.of(args.length > 0 ? args[0] : "../testdata/stix/ics-attack-18.1.json"));
        StixValidator validator = StixValidator.create();
        java.util.List<ParsedObject> objects = new java.util.ArrayList<>();
        for (int round = 0; round < 12; round++) {
            long start = System.nanoTime();
            int count = 0;
            objects.clear();
            try (BundleReader reader = BundleReader.open(new ByteArrayInputStream(bytes))) {
                while (reader.hasNext()) {
                    objects.add(reader.next());
                    count++;
                }
            }
            long read = System.nanoTime();
            int violations = 0;
            for (ParsedObject object : objects) {
                violations += validator.validate(object.tree()).size();
            }
            long validated = System.nanoTime();
            System.out.printf("round %d: %d objects, read %.0f objects/s, validate %.0f objects/s (%d violations)%n", round, count,
                    count / ((read - start) / 1e9), count / ((validated - read) / 1e9), violations);
        }
    }
}
