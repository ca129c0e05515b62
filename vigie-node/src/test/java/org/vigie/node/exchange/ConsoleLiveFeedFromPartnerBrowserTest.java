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
import org.vigie.store.UserAccount;
import org.vigie.taxii.auth.PasswordHasher;
import org.vigie.taxii.auth.UserAdministration;
import tools.jackson.databind.JsonNode;


import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * End-to-end: two real nodes A and B ({@link VigieNode}, each with its exchange as the node wires it,
 * TLS with client certificates requested, partners registered through the command line); an
 * administrator releases an object at A from A's console API, A pushes it to B over mutual TLS, and an
 * analyst signed in to B's console in headless Chromium sees it appear in the live feed with the sender,
 * the TLP badge in the TLP 2.0 colour, and the handling and evaluation codes, while an analyst signed in
 * to A's console in a second Chromium sees the release leave in A's live feed, named with its recipient
 * and with the same badges; then A recalls it, and A's feed shows the recall sent to B while B's shows it
 * received from A. Between: B's object view (API and browser) names node A and the envelope of the received
 * version, and hides both from a B user not cleared for TLP:GREEN; A's Sharing screen shows B's receipt as the
 * last one; after the recall, A's recall status shows B's acknowledgement. Screenshots: {@code target/screenshots/14-feed-released-to-partner.png} (A),
 * {@code 14-feed-from-partner.png} (B), {@code 14-object-provenance.png} (B), {@code 14-sharing-last-receipt.png} (A),
 * {@code 14-feed-recall-sent.png} (A), {@code 14-feed-recall-received.png} (B), {@code 14-sharing-recall-acknowledged.png} (A). (Here rather than in vigie-console: it needs the node's wiring.)
 */
class ConsoleLiveFeedFromPartnerBrowserTest
{
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final String CAROL_PASSWORD = "carol's long test password";

    @Test
    void anObjectReleasedAtNodeAAppearsInTheLiveFeedOfNodeB(@TempDir Path directory)
            throws Exception
    {
        Assumptions.assumeTrue(WebDriverClient.available(), () -> "browser test skipped: " + WebDriverClient.missing());
        TwoNodes.Node a = TwoNodes.node(directory, "a");
        TwoNodes.Node b = TwoNodes.node(directory, "b", "console.clearance.user.carol.tlp=clear");
        TwoNodes.trust(a, b);
        TwoNodes.trust(b, a);
        Map<String, TwoNodes.Identity> identities = Map.of("a", TwoNodes.identity(directory, a), "b", TwoNodes.identity(directory, b));
        TwoNodes.partner(a, b, identities.get("b"));
        TwoNodes.partner(b, a, identities.get("a"));
        TwoNodes.policy(directory, a, "{\"name\":\"a-policy\",\"rules\":[{\"name\":\"green to everyone\",\"effect\":\"allow\",\"all_partners\":true,\"max_tlp\":\"green\"}]}");

        try (VigieNode nodeA = TwoNodes.start(a); VigieNode nodeB = TwoNodes.start(b);
                WebDriverClient browserA = new WebDriverClient(Files.createDirectories(directory.resolve("chromium-profile-a")));
                WebDriverClient browser = new WebDriverClient(Files.createDirectories(directory.resolve("chromium-profile-b")))) {
            // On B, carol reads every collection but is cleared for TLP:CLEAR only (B's properties file); made once B made its administrator.
            new UserAdministration(nodeB.store(), PasswordHasher.withIterations(1_000), InstantSource.system())
                    .createUser("carol", CAROL_PASSWORD, List.of(UserAccount.ALL_COLLECTIONS), List.of(), false);
            signIn(browserA, nodeA, "A");
            signIn(browser, nodeB, "B");

            JsonNode marking = VigieMarking.empty().withHandling(HandlingCode.H1, Optional.empty()).withEvaluation(EvaluationCode.parse("B2"))
                    .toMarkingDefinition(Instant.parse("2026-01-01T00:00:00Z"), identities.get("a").identityId());
            String indicator = "indicator--" + UUID.randomUUID();
            String collection = nodeA.initialization().createdCollection().orElseThrow().id();
            nodeA.store().addObjects(collection, List.of(
                    StixObject.fromJson(TlpMarkings.Tlp.GREEN.json()),
                    StixObject.fromJson(marking.toString()),
                    StixObject.fromJson("{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"id\":\"" + indicator + "\",\"created\":\"2026-01-01T00:00:00.000Z\","
                            + "\"modified\":\"2026-01-01T00:00:00.000Z\",\"name\":\"Pushed C2\",\"pattern\":\"[ipv4-addr:value = '203.0.113.77']\",\"pattern_type\":\"stix\","
                            + "\"valid_from\":\"2026-01-01T00:00:00Z\",\"object_marking_refs\":[\"" + TlpMarkings.Tlp.GREEN.id() + "\",\"" + marking.get("id").stringValue() + "\"]}")));

            HttpClient http = TwoNodes.client(b);
            String token = TwoNodes.login(http, nodeA, nodeA.initialization().administratorName(), nodeA.initialization().administratorPassword().orElseThrow());
            HttpResponse<String> released = http.send(HttpRequest.newBuilder(nodeA.baseUri().resolve("console/api/sharing/release"))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"objects\":[\"" + indicator + "\"],\"partners\":[\"b\"]}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(released.statusCode()).as(released.body()).isEqualTo(200);
            assertThat(released.body()).contains("\"queued\":true");
            String envelope = StixJson.parse(released.body()).get("partners").get(0).get("envelope_id").stringValue();

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

            // B's object view names the sender and the envelope of the received version (API and browser).
            // A's truststore holds B's certificate.
            HttpClient httpB = TwoNodes.client(a);
            String tokenB = TwoNodes.login(httpB, nodeB, nodeB.initialization().administratorName(), nodeB.initialization().administratorPassword().orElseThrow());
            JsonNode view = get(httpB, nodeB, tokenB, "console/api/objects/" + indicator, 200);
            JsonNode receipts = view.get("versions").get(0).get("receipts");
            assertThat(receipts.size()).isEqualTo(1);
            assertThat(receipts.get(0).get("partner").stringValue()).isEqualTo("a");
            assertThat(receipts.get(0).get("partner_name").stringValue()).isEqualTo("node a (a)");
            assertThat(receipts.get(0).get("envelope_id").stringValue()).isEqualTo(envelope);
            assertThat(receipts.get(0).get("handling").values()).extracting(JsonNode::stringValue).containsExactly("TLP:GREEN", "H1");
            assertThat(receipts.get(0).has("recalled_at")).isFalse();
            assertThat(Instant.parse(receipts.get(0).get("received_at").stringValue())).isBeforeOrEqualTo(Instant.now());
            // Carol may read the inbox collection but is not cleared for TLP:GREEN: neither the object nor its receipt exists for her.
            String carol = TwoNodes.login(httpB, nodeB, "carol", CAROL_PASSWORD);
            assertThat(get(httpB, nodeB, carol, "console/api/objects/" + indicator, 404).toString()).doesNotContain(envelope, "node a");
            browser.open(nodeB.baseUri().resolve("/#knowledge/" + indicator));
            browser.await("document.querySelector('#object-provenance') && document.querySelector('#object-receipts tr[data-partner=a]')", "the provenance in B's object view", 30);
            assertThat(browser.text("#object-provenance")).contains("Received from node a (a)", envelope);
            assertThat(browser.text("#object-receipts tr[data-partner=a] .envelope")).isEqualTo(envelope);
            assertThat(browser.text("#object-receipts tr[data-partner=a] .partner")).isEqualTo("node a (a)");
            browser.screenshot(SCREENSHOTS.resolve("14-object-provenance.png"));
            browser.click("nav a[data-view=feed]");

            // A's Sharing screen shows B's receipt of that envelope as the last receipt (API and browser).
            JsonNode partnerB = get(http, nodeA, token, "console/api/sharing/partners", 200).get("partners").get(0);
            assertThat(partnerB.get("id").stringValue()).isEqualTo("b");
            assertThat(partnerB.get("outbox").get("last_receipt").get("envelope_id").stringValue()).isEqualTo(envelope);
            assertThat(partnerB.get("outbox").get("last_receipt").get("status").stringValue()).isEqualTo("stored");
            assertThat(partnerB.get("outbox").get("failures").asLong()).isZero();
            assertThat(partnerB.get("outbox").get("depth").asLong()).isZero();
            browserA.click("nav a[data-view=sharing]");
            String lastReceipt = "#sharing-partners tr[data-partner=b] .last-receipt";
            browserA.await("document.querySelector('" + lastReceipt + "') && document.querySelector('" + lastReceipt + "').textContent.includes('" + envelope + "')", "B's receipt on A's Sharing screen", 30);
            assertThat(browserA.text(lastReceipt)).contains("stored");
            assertThat(browserA.text("#sharing-partners tr[data-partner=b] .failures")).isEqualTo("0");
            browserA.screenshot(SCREENSHOTS.resolve("14-sharing-last-receipt.png"));
            browserA.click("nav a[data-view=feed]");

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

            // B acknowledged the recall: A's recall status says so, through the API and on the Sharing screen.
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            JsonNode status = get(http, nodeA, token, "console/api/sharing/recall/" + indicator, 200).get("status");
            while (!status.get(0).get("acknowledged").asBoolean() && System.nanoTime() < deadline) {
                // A learns of the acknowledgement from B's receipt, just after B's feed shows the recall.
                Thread.sleep(100);
                status = get(http, nodeA, token, "console/api/sharing/recall/" + indicator, 200).get("status");
            }
            assertThat(status.get(0).get("partner").stringValue()).isEqualTo("b");
            assertThat(status.get(0).get("acknowledged").asBoolean()).as(status.toString()).isTrue();
            assertThat(status.get(0).get("state").stringValue()).isEqualTo("stored");
            browserA.click("nav a[data-view=sharing]");
            browserA.await("document.querySelector('#recall-object') && !document.querySelector('#view-sharing').hidden", "A's recall form", 30);
            browserA.type("#recall-object", indicator);
            browserA.click("#recall-status");
            browserA.await("document.querySelector('#recall-status-table tr[data-partner=b]')", "the recall status on A's Sharing screen", 30);
            assertThat(browserA.text("#recall-status-table tr[data-partner=b]")).contains("stored", "yes");
            browserA.screenshot(SCREENSHOTS.resolve("14-sharing-recall-acknowledged.png"));
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

    private static JsonNode get(HttpClient http, VigieNode node, String token, String path, int expectedStatus)
            throws Exception
    {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(node.baseUri().resolve(path)).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(expectedStatus);
        return StixJson.parse(response.body());
    }
}
