package org.vigie.node.exchange;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.node.server.VigieNode;
import org.vigie.stix.StixObject;
import org.vigie.stix.markings.TlpMarkings;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two real nodes over mutual TLS: A releases (with {@code vigie release}) a report whose reference to an
 * object withheld from B is cut; B's {@code vigie audit query --kind receipt} then names the report and the
 * path of the cut reference, never the withheld target, which B does not know.
 */
class ReceivedWithheldReferencesTest
{
    private static final String GREEN = "indicator--5b1c2d3e-4f50-4a6b-8c7d-8e9f0a1b2c3d";
    private static final String RED = "indicator--5b1c2d3e-4f50-4a6b-8c7d-8e9f0a1b2c3e";
    private static final String REPORT = "report--5b1c2d3e-4f50-4a6b-8c7d-8e9f0a1b2c3f";
    private static final Duration DELIVERY = Duration.ofSeconds(60);

    @Test
    void auditQueryAtTheReceiverListsTheReferencesTheSenderWithheld(@TempDir Path directory)
            throws Exception
    {
        TwoNodes.Node a = TwoNodes.node(directory, "a");
        TwoNodes.Node b = TwoNodes.node(directory, "b");
        TwoNodes.trust(a, b);
        TwoNodes.trust(b, a);
        TwoNodes.Identity identityOfA = TwoNodes.identity(directory, a);
        TwoNodes.partner(a, b, TwoNodes.identity(directory, b));
        TwoNodes.partner(b, a, identityOfA);
        TwoNodes.policy(directory, a, "{\"name\":\"a-policy\",\"rules\":[{\"name\":\"green to everyone\",\"effect\":\"allow\",\"all_partners\":true,\"max_tlp\":\"green\"}]}");

        try (VigieNode nodeA = TwoNodes.start(a); VigieNode nodeB = TwoNodes.start(b)) {
            String collection = nodeA.initialization().createdCollection().orElseThrow().id();
            nodeA.store().addObjects(collection, List.of(
                    indicator(GREEN, TlpMarkings.Tlp.GREEN.id()),
                    indicator(RED, TlpMarkings.Tlp.RED.id()),
                    StixObject.fromJson("{\"type\":\"report\",\"spec_version\":\"2.1\",\"id\":\"" + REPORT + "\",\"created\":\"2026-01-01T00:00:00.000Z\","
                            + "\"modified\":\"2026-01-01T00:00:00.000Z\",\"name\":\"weekly\",\"published\":\"2026-01-01T00:00:00Z\","
                            + "\"object_refs\":[\"" + GREEN + "\",\"" + RED + "\"],\"object_marking_refs\":[\"" + TlpMarkings.Tlp.GREEN.id() + "\"]}")));

            String released = TwoNodes.cli("release", "--data-dir", a.data().toString(), "--collection", collection, "--object", GREEN, "--object", RED, "--object", REPORT,
                    "--to", "b");
            assertThat(released).contains(REPORT);

            String line = awaitReceipt(b);
            assertThat(line).contains("\tRECEIPT\ta\t", REPORT, "1 reference(s) withheld by the sender: " + REPORT + " object_refs").doesNotContain(RED);
        }
    }

    /** B's receipt line naming the report, once B stored A's envelope (the running node A pushes what the command queued). */
    private static String awaitReceipt(TwoNodes.Node receiver)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + DELIVERY.toNanos();
        while (true) {
            List<String> lines = TwoNodes.cli("audit", "query", "--data-dir", receiver.data().toString(), "--kind", "receipt", "--object", REPORT).lines().toList();
            if (!lines.isEmpty()) {
                assertThat(lines).hasSize(1);
                return lines.get(0);
            }
            assertThat(System.nanoTime()).as("a receipt at %s within %s", receiver.name(), DELIVERY).isLessThan(deadline);
            // Polling interval for another node's delivery; not a wait for work to finish.
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    private static StixObject indicator(String id, String marking)
    {
        return StixObject.fromJson("{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"id\":\"" + id + "\",\"created\":\"2026-01-01T00:00:00.000Z\","
                + "\"modified\":\"2026-01-01T00:00:00.000Z\",\"pattern\":\"[ipv4-addr:value = '203.0.113.5']\",\"pattern_type\":\"stix\","
                + "\"valid_from\":\"2026-01-01T00:00:00Z\",\"object_marking_refs\":[\"" + marking + "\"]}");
    }
}
