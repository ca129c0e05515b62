package org.vigie.node.exchange;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.exchange.marking.EvaluationCode;
import org.vigie.exchange.marking.HandlingCode;
import org.vigie.exchange.marking.VigieMarking;
import org.vigie.node.server.VigieNode;
import org.vigie.console.WebDriverClient;
import org.vigie.stix.StixObject;
import org.vigie.stix.json.StixJson;
import org.vigie.stix.markings.TlpMarkings;
import tools.jackson.databind.JsonNode;


import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vigie.node.exchange.PartnerNodes.certificates;
import static org.vigie.node.exchange.PartnerNodes.cli;
import static org.vigie.node.exchange.PartnerNodes.identity;
import static org.vigie.node.exchange.PartnerNodes.node;
import static org.vigie.node.exchange.PartnerNodes.partner;
import static org.vigie.node.exchange.PartnerNodes.start;
import static org.vigie.node.exchange.PartnerNodes.trusting;

/**
 * End-to-end: two real nodes A and B ({@link VigieNode}, each with its exchange as the node wires it,
 * TLS with client certificates requested, partners registered through the command line); an
 * administrator releases an object at A from A's console API, A pushes it to B over mutual TLS, and an
 * analyst signed in to B's console in headless Chromium sees it appear in the live feed with the sender,
 * the TLP badge in the TLP 2.0 colour, and the handling and evaluation codes, while an analyst signed in
 * to A's console in a second Chromium sees the release leave in A's live feed, named with its recipient
 * and with the same badges; then A recalls it, and A's feed shows the recall sent to B while B's shows it
 * received from A. Screenshots: {@code target/screenshots/14-feed-released-to-partner.png} (A),
 * {@code 14-feed-from-partner.png} (B), {@code 14-feed-recall-sent.png} (A), {@code 14-feed-recall-received.png} (B). (Here rather than in vigie-console: it needs the node's wiring.)
 */
class ConsoleLiveFeedFromPartnerBrowserTest
{
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    @Test
    void anObjectReleasedAtNodeAAppearsInTheLiveFeedOfNodeB(@TempDir Path directory)
            throws Exception
    {
        Assumptions.assumeTrue(WebDriverClient.available(), () -> "browser test skipped: " + WebDriverClient.missing());
        PartnerNodes.Node a = node(directory, "a");
        PartnerNodes.Node b = node(directory, "b");
        certificates(a, b);
        certificates(b, a);
        Map<String, String[]> identities = Map.of("a", identity(directory, a), "b", identity(directory, b));
        partner(a, b, identities.get("b"));
        partner(b, a, identities.get("a"));
        Path policy = directory.resolve("a-policy.json");
        Files.writeString(policy, "{\"name\":\"a-policy\",\"rules\":[{\"name\":\"green to everyone\",\"effect\":\"allow\",\"all_partners\":true,\"max_tlp\":\"green\"}]}");
        cli("policy", "set", "--data-dir", a.data().toString(), policy.toString());

        try (VigieNode nodeA = start(a); VigieNode nodeB = start(b);
                WebDriverClient browserA = new WebDriverClient(Files.createDirectories(directory.resolve("chromium-profile-a")));
                WebDriverClient browser = new WebDriverClient(Files.createDirectories(directory.resolve("chromium-profile-b")))) {
            signIn(browserA, nodeA, "A");
            signIn(browser, nodeB, "B");

            JsonNode marking = VigieMarking.empty().withHandling(HandlingCode.H1, Optional.empty()).withEvaluation(EvaluationCode.parse("B2"))
                    .toMarkingDefinition(Instant.parse("2026-01-01T00:00:00Z"), identities.get("a")[0]);
            String indicator = "indicator--" + UUID.randomUUID();
            String collection = nodeA.initialization().createdCollection().orElseThrow().id();
            nodeA.store().addObjects(collection, List.of(
                    StixObject.fromJson(TlpMarkings.Tlp.GREEN.json()),
                    StixObject.fromJson(marking.toString()),
                    StixObject.fromJson("{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"id\":\"" + indicator + "\",\"created\":\"2026-01-01T00:00:00.000Z\","
                            + "\"modified\":\"2026-01-01T00:00:00.000Z\",\"name\":\"Pushed C2\",\"pattern\":\"[ipv4-addr:value = '203.0.113.77']\",\"pattern_type\":\"stix\","
                            + "\"valid_from\":\"2026-01-01T00:00:00Z\",\"object_marking_refs\":[\"" + TlpMarkings.Tlp.GREEN.id() + "\",\"" + marking.get("id").stringValue() + "\"]}")));

            HttpClient http = HttpClient.newBuilder().sslContext(trusting(b.truststore())).connectTimeout(Duration.ofSeconds(10)).build();
            String token = login(http, nodeA, nodeA.initialization().administratorPassword().orElseThrow());
            HttpResponse<String> released = http.send(HttpRequest.newBuilder(nodeA.baseUri().resolve("console/api/sharing/release"))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"objects\":[\"" + indicator + "\"],\"partners\":[\"b\"]}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(released.statusCode()).as(released.body()).isEqualTo(200);
            assertThat(released.body()).contains("\"queued\":true");

            // A's analyst sees the release leave, named with its recipient, as B's analyst sees it arrive.
            String releasedRow = "#feed-list tr[data-id=\"" + indicator + "\"][data-direction=released]";
            browserA.await("document.querySelector('" + releasedRow.replace("'", "\\'") + "')", "the release in A's live feed", 90);
            assertThat(browserA.text(releasedRow + " .name")).isEqualTo("Pushed C2");
            assertThat(browserA.text(releasedRow + " .partner")).isEqualTo("node b (b)");
            assertThat(browserA.script("return getComputedStyle(document.querySelector(arguments[0])).color;", releasedRow + " [data-badge=\"tlp:green\"]").asString())
                    .isEqualTo("rgb(51, 255, 0)");
            assertThat(browserA.text(releasedRow + " [data-badge=\"handling:H1\"]")).contains("H1");
            assertThat(browserA.text(releasedRow + " [data-badge=\"evaluation:B2\"]")).contains("B2");
            browserA.screenshot(SCREENSHOTS.resolve("14-feed-released-to-partner.png"));

            String row = "#feed-list tr[data-id=\"" + indicator + "\"][data-direction=received]";
            browser.await("document.querySelector('" + row.replace("'", "\\'") + "')", "the object pushed by A in B's live feed", 90);
            assertThat(browser.text(row + " .name")).isEqualTo("Pushed C2");
            assertThat(browser.text(row)).contains("received", "node a (a)");
            assertThat(browser.script("return getComputedStyle(document.querySelector(arguments[0])).color;", row + " [data-badge=\"tlp:green\"]").asString())
                    .isEqualTo("rgb(51, 255, 0)");
            assertThat(browser.script("return getComputedStyle(document.querySelector(arguments[0])).backgroundColor;", row + " [data-badge=\"tlp:green\"]").asString())
                    .isEqualTo("rgb(0, 0, 0)");
            assertThat(browser.text(row + " [data-badge=\"handling:H1\"]")).contains("H1");
            assertThat(browser.text(row + " [data-badge=\"evaluation:B2\"]")).contains("B2");
            browser.screenshot(SCREENSHOTS.resolve("14-feed-from-partner.png"));

            // A recalls it: A's feed shows the recall going to B, B's the recall arriving (the object is gone from B's store).
            HttpResponse<String> recalled = http.send(HttpRequest.newBuilder(nodeA.baseUri().resolve("console/api/sharing/recall"))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"object\":\"" + indicator + "\",\"reason\":\"false positive\"}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(recalled.statusCode()).as(recalled.body()).isEqualTo(200);
            String recallSent = "#feed-list tr[data-id=\"" + indicator + "\"][data-direction=recall-sent]";
            browserA.await("document.querySelector('" + recallSent.replace("'", "\\'") + "')", "the recall in A's live feed", 90);
            assertThat(browserA.text(recallSent + " .partner")).isEqualTo("node b (b)");
            String recallReceived = "#feed-list tr[data-id=\"" + indicator + "\"][data-direction=recall-received]";
            browser.await("document.querySelector('" + recallReceived.replace("'", "\\'") + "')", "the recall in B's live feed", 90);
            assertThat(browser.text(recallReceived + " .partner")).isEqualTo("node a (a)");
            browserA.screenshot(SCREENSHOTS.resolve("14-feed-recall-sent.png"));
            browser.screenshot(SCREENSHOTS.resolve("14-feed-recall-received.png"));
        }
    }

    private static void signIn(WebDriverClient browser, VigieNode node, String name)
            throws Exception
    {
        browser.open(node.baseUri());
        browser.await("document.querySelector('#login-form') && !document.querySelector('#view-login').hidden", name + "'s login form");
        browser.type("#login-user", node.initialization().administratorName());
        browser.type("#login-password", node.initialization().administratorPassword().orElseThrow());
        browser.click("#login-submit");
        browser.await("!document.querySelector('#view-feed').hidden && document.querySelector('#feed-status').classList.contains('connected')", name + "'s connected live feed");
    }

    private static String login(HttpClient http, VigieNode node, String password)
            throws Exception
    {
        String basic = Base64.getEncoder().encodeToString((node.initialization().administratorName() + ":" + password).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(node.baseUri().resolve("console/api/login"))
                .header("Authorization", "Basic " + basic)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return StixJson.parse(response.body()).get("token").stringValue();
    }
}
