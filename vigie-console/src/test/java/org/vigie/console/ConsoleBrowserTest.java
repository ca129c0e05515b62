package org.vigie.console;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.stix.markings.TlpMarkings;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * End-to-end: headless Chromium driving the console of a real node. Screenshots of each screen go to
 * {@code target/screenshots/}. Skipped, naming the binary, when Chromium or chromedriver is absent.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest
{
    // Typing before the view is shown fails with "element not interactable" on a loaded machine.
    private static final String SEARCH_BOX_SHOWN = "document.querySelector('#search-input') && !document.querySelector('#view-knowledge').hidden";

    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private ConsoleNode node;
    private WebDriverClient browser;
    private final String actor = ConsoleNode.id("threat-actor");
    private final String intrusionSet = ConsoleNode.id("intrusion-set");
    private final String malware = ConsoleNode.id("malware");
    private final String secondHop = ConsoleNode.id("campaign");
    private final String greenIndicator = ConsoleNode.id("indicator");

    @BeforeAll
    void start(@TempDir Path directory)
            throws Exception
    {
        Assumptions.assumeTrue(WebDriverClient.available(), () -> "browser tests skipped: " + WebDriverClient.missing());
        node = new ConsoleNode(directory);
        node.add(ConsoleNode.INTEL,
                TlpMarkings.Tlp.AMBER.json(),
                ConsoleNode.named(actor, "Sandworm Team", ",\"aliases\":[\"Voodoo Bear\"],\"object_marking_refs\":[\"" + TlpMarkings.Tlp.AMBER.id() + "\"]"),
                ConsoleNode.named(intrusionSet, "Telebots", ""),
                ConsoleNode.named(malware, "Industroyer", ",\"is_family\":true"),
                ConsoleNode.named(secondHop, "Grid Winter", ""),
                ConsoleNode.relationship(actor, "attributed-to", intrusionSet),
                ConsoleNode.relationship(actor, "uses", malware),
                ConsoleNode.relationship(intrusionSet, "attributed-to", secondHop),
                ConsoleSharingApiTest.indicator(greenIndicator, "Browser C2", "198.51.100.99", TlpMarkings.Tlp.GREEN.id()),
                ConsoleSharingApiTest.sighting(greenIndicator, "2026-03-01T09:30:00.000Z", 5, ConsoleExchangeFixture.BRAVO_IDENTITY));
        browser = new WebDriverClient(Files.createDirectories(directory.resolve("chromium-profile")));
    }

    @AfterAll
    void stop()
    {
        if (browser != null) {
            browser.close();
        }
        if (node != null) {
            node.close();
        }
    }

    @Test
    @Order(1)
    void logsInAndPaintsTheFeed()
            throws Exception
    {
        browser.open(node.uri("/"));
        browser.await("document.querySelector('#login-form') && !document.querySelector('#view-login').hidden", "the login form");
        browser.screenshot(SCREENSHOTS.resolve("01-login.png"));
        browser.type("#login-user", "alice");
        browser.type("#login-password", "wrong");
        browser.click("#login-submit");
        browser.await("document.querySelector('#login-error').textContent.length > 0", "the sign-in error");
        assertThat(browser.text("#login-error")).contains("Wrong user name or password");

        browser.clear("#login-password");
        browser.type("#login-password", ConsoleNode.PASSWORD);
        browser.click("#login-submit");
        browser.await("!document.querySelector('#view-feed').hidden && document.querySelector('#feed-status').classList.contains('connected')", "the connected live feed");
        assertThat(browser.text("#user-name")).isEqualTo("alice");
        double firstPaint = browser.script("const entry = performance.getEntriesByName('first-contentful-paint')[0]; return entry ? entry.startTime : -1;").asDouble();
        System.out.printf("console first contentful paint: %.0f ms%n", firstPaint);
        assertThat(firstPaint).isPositive();
    }

    @Test
    @Order(2)
    void theLiveFeedShowsAnObjectTheMomentItIsStored()
            throws Exception
    {
        String campaign = ConsoleNode.id("campaign");
        node.add(ConsoleNode.INTEL, ConsoleNode.named(campaign, "Live campaign", ",\"object_marking_refs\":[\"" + TlpMarkings.Tlp.RED.id() + "\"]"));
        node.add(ConsoleNode.SECRET, ConsoleNode.named(ConsoleNode.id("campaign"), "Secret campaign", ""));
        browser.await("document.querySelector('#feed-list tr[data-id=\"" + campaign + "\"]')", "the new campaign in the feed");
        assertThat(browser.text("#feed-list tr[data-id=\"" + campaign + "\"] .name")).isEqualTo("Live campaign");
        assertThat(browser.script("return getComputedStyle(document.querySelector('#feed-list tr[data-id=\"" + campaign + "\"] [data-badge=\"tlp:red\"]')).color;").asString())
                .isEqualTo("rgb(255, 43, 43)");
        assertThat(browser.text("#feed-list")).doesNotContain("Secret campaign");
        // The TLP 2.0 colours (FIRST), each on black: AMBER and AMBER+STRICT #FFC000, CLEAR white.
        Map<TlpMarkings.Tlp, String> colours = new LinkedHashMap<>();
        colours.put(TlpMarkings.Tlp.AMBER, "rgb(255, 192, 0)");
        colours.put(TlpMarkings.Tlp.AMBER_STRICT, "rgb(255, 192, 0)");
        colours.put(TlpMarkings.Tlp.CLEAR, "rgb(255, 255, 255)");
        colours.put(TlpMarkings.Tlp.GREEN, "rgb(51, 255, 0)");
        for (Map.Entry<TlpMarkings.Tlp, String> colour : colours.entrySet()) {
            String marked = ConsoleNode.id("campaign");
            node.add(ConsoleNode.INTEL, ConsoleNode.named(marked, "Campaign " + colour.getKey().level(), ",\"object_marking_refs\":[\"" + colour.getKey().id() + "\"]"));
            String badge = "#feed-list tr[data-id=\"" + marked + "\"] [data-badge=\"tlp:" + colour.getKey().level() + "\"]";
            browser.await("document.querySelector('" + badge.replace("'", "\\'") + "')", "the " + colour.getKey().level() + " campaign in the feed");
            assertThat(browser.text(badge)).isEqualTo("TLP:" + colour.getKey().level().toUpperCase(java.util.Locale.ROOT));
            assertThat(browser.script("return getComputedStyle(document.querySelector(arguments[0])).color;", badge).asString()).as(colour.getKey().level()).isEqualTo(colour.getValue());
            assertThat(browser.script("return getComputedStyle(document.querySelector(arguments[0])).backgroundColor;", badge).asString()).isEqualTo("rgb(0, 0, 0)");
        }
        browser.screenshot(SCREENSHOTS.resolve("02-feed.png"));
    }

    @Test
    @Order(3)
    void searchOpensAnObjectAndTheGraphExpandsNodeByNode()
            throws Exception
    {
        browser.click("nav a[data-view=knowledge]");
        browser.await(SEARCH_BOX_SHOWN, "the search box");
        browser.type("#search-input", "voodoo");
        browser.await("document.querySelector('#search-results tr[data-id=\"" + actor + "\"]')", "the search hit");
        browser.click("#search-results tr[data-id=\"" + actor + "\"]");
        // The graph is drawn on a canvas: nodes are found and clicked through its test hook (see graph.js).
        browser.await("document.querySelector('#graph').dataset.nodes === '3' && document.querySelector('#graph').graphTestHook.settled()", "the first neighbourhood (3 nodes), laid out");
        assertThat(browser.text("#object-name")).isEqualTo("threat-actor: Sandworm Team");
        assertThat(browser.script("return document.querySelector('#graph').graphTestHook.node(arguments[0]);", secondHop).isNull()).isTrue();
        assertThat(browser.script("return document.querySelector('#graph').graphTestHook.node(arguments[0]).expanded;", actor).asBoolean()).isTrue();
        browser.script("document.querySelector('#graph').scrollIntoView({block: 'center'});");
        JsonNode target = browser.script("return document.querySelector('#graph').graphTestHook.node(arguments[0]);", intrusionSet);
        assertThat(target.get("name").asString()).isEqualTo("Telebots");
        browser.clickAt(target.get("x").asDouble(), target.get("y").asDouble());
        browser.await("document.querySelector('#graph').graphTestHook.node('" + secondHop + "')", "the expanded neighbour of the intrusion set");
        assertThat(browser.text("#graph-selection")).startsWith("4 nodes, 3 links");
        assertThat(browser.script("return document.querySelector('#graph').graphTestHook.edgeCount();").asInt()).isEqualTo(3);
        assertThat(browser.script("return document.querySelector('#graph').graphTestHook.node(arguments[0]).expanded;", intrusionSet).asBoolean()).isTrue();
        // Drawn where the hook says: the canvas pixel at the new node's centre has its type's colour (campaign, #d35400).
        browser.await("document.querySelector('#graph').graphTestHook.settled()", "the layout frozen after the expansion");
        JsonNode drawn = browser.script("const canvas = document.querySelector('#graph'); const node = canvas.graphTestHook.node(arguments[0]); const box = canvas.getBoundingClientRect();"
                + "const ratio = window.devicePixelRatio || 1; return Array.from(canvas.getContext('2d').getImageData(Math.round((node.x - box.left) * ratio), Math.round((node.y - box.top) * ratio), 1, 1).data);", secondHop);
        assertThat(List.of(drawn.get(0).asInt(), drawn.get(1).asInt(), drawn.get(2).asInt())).containsExactly(0xd3, 0x54, 0x00);
        browser.screenshot(SCREENSHOTS.resolve("03-knowledge-graph.png"));
    }

    @Test
    @Order(4)
    void screensANameAndACsvFile(@TempDir Path directory)
            throws Exception
    {
        browser.click("nav a[data-view=screening]");
        browser.type("#screen-name", "Muhammad Salah al-Din Abdul Halim Zidan");
        browser.click("#screen-submit");
        // The first screening loads the sanctions lists (about 10 s on a shared 2-core machine).
        browser.await("document.querySelector('#screen-results .screen-result')", "the screening result", 90);
        assertThat(browser.text("#screen-results")).contains("QDi.001", "muhammad");

        Path csv = directory.resolve("names.csv");
        Files.writeString(csv, "full_name,nationality\nMuhammad Salah al-Din Abdul Halim Zidan,\nJane Example Nobody,\n");
        browser.type("#csv-file", csv.toAbsolutePath().toString());
        browser.await("!document.querySelector('#csv-download').hidden", "the CSV result");
        assertThat(browser.text("#csv-progress-text")).contains("2 rows", "1 with a match");
        String downloaded = browser.script("return document.querySelector('#csv-download').href;").asString();
        assertThat(downloaded).startsWith("blob:");
        assertThat(browser.text("#csv-preview-table")).contains("match_id", "QDi.001");
        browser.screenshot(SCREENSHOTS.resolve("04-screening.png"));
    }

    @Test
    @Order(5)
    void authorsAnIndicatorAfterAnInvalidThenAValidPattern()
            throws Exception
    {
        browser.click("nav a[data-view=authoring]");
        browser.script("const select = document.querySelector('#author-type'); select.value = 'indicator'; select.dispatchEvent(new Event('change'));");
        browser.type("#author-fields input[name=name]", "Grid C2");
        browser.type("#pattern-input", "[ipv4-addr:value = ");
        browser.await("document.querySelector('#pattern-status').classList.contains('invalid')", "the invalid pattern message");
        assertThat(browser.text("#pattern-status")).contains("column");
        assertThat(browser.script("return document.querySelector('#author-save').disabled;").asBoolean()).isTrue();
        browser.screenshot(SCREENSHOTS.resolve("05-authoring-invalid.png"));

        browser.type("#pattern-input", "'203.0.113.9']");
        browser.await("document.querySelector('#pattern-status').classList.contains('valid')", "the valid pattern message");
        browser.click("#author-save");
        browser.await("document.querySelector('#author-result').classList.contains('error')", "the missing marking message");
        assertThat(browser.text("#author-result")).contains("TLP");
        browser.script("const select = document.querySelector('#author-tlp'); select.value = 'amber+strict'; select.dispatchEvent(new Event('change'));");
        browser.click("#author-save");
        browser.await("document.querySelector('#author-result').dataset.id", "the saved indicator");
        String id = browser.script("return document.querySelector('#author-result').dataset.id;").asString();
        assertThat(id).startsWith("indicator--");
        assertThat(node.store.findObjects(ConsoleNode.INTEL, org.vigie.store.ObjectQuery.all(1).withIds(java.util.List.of(id))).objects().get(0).object().json())
                .contains("[ipv4-addr:value = '203.0.113.9']", TlpMarkings.Tlp.AMBER_STRICT.id());
        browser.await("document.querySelector('#feed-list tr[data-id=\"" + id + "\"]')", "the authored indicator in the feed");
        browser.screenshot(SCREENSHOTS.resolve("06-authoring-saved.png"));
        browser.click("nav a[data-view=sharing]");
        browser.await("document.querySelector('#sharing-partners tr[data-partner=\"" + ConsoleExchangeFixture.BRAVO + "\"]')", "the partners painted");
        browser.screenshot(SCREENSHOTS.resolve("07-sharing.png"));
        browser.click("nav a[data-view=detection]");
        browser.await("document.querySelector('#detection-targets tr[data-id=\"" + greenIndicator + "\"]') && document.querySelectorAll('#detection-chart rect').length > 0",
                "the sightings and the chart painted");
        browser.screenshot(SCREENSHOTS.resolve("07-detection.png"));
    }

    @Test
    @Order(6)
    void authorsAThreatActorWithHandlingMarkingsARelationshipToAnIndicatorThenEditsTheActorAndSwitchesVersions()
            throws Exception
    {
        browser.click("nav a[data-view=authoring]");
        browser.click("#author-form button.secondary");
        browser.await("!document.querySelector('#author-handling-markings').hidden && document.querySelectorAll('#author-handling option').length === 5", "the handling marking choices");
        select("#author-type", "threat-actor");
        browser.type("#author-fields input[name=name]", "Browser Bear");
        browser.type("#author-fields textarea[name=description]", "first version");
        browser.type("#author-fields input[name=aliases]", "Bear One, Bear Two");
        select("#author-tlp", "amber");
        select("#author-handling", "H2");
        select("#author-pap", "green");
        select("#author-reliability", "B");
        select("#author-credibility", "2");
        browser.click("#author-save");
        browser.await("document.querySelector('#author-result').dataset.id", "the saved threat actor");
        String bear = browser.script("return document.querySelector('#author-result').dataset.id;").asString();
        assertThat(bear).startsWith("threat-actor--");
        JsonNode stored = latest(bear).tree();
        assertThat(stored.get("aliases").values()).extracting(JsonNode::asString).containsExactly("Bear One", "Bear Two");
        assertThat(stored.get("object_marking_refs")).hasSize(2);

        browser.click("#author-form button.secondary");
        select("#author-type", "relationship");
        browser.type("#author-fields input[name=relationship_type]", "indicates");
        browser.type("#author-fields input[name=source_ref]", greenIndicator);
        browser.type("#author-fields input[name=target_ref]", bear);
        select("#author-tlp", "green");
        browser.click("#author-save");
        browser.await("document.querySelector('#author-result').dataset.id && document.querySelector('#author-result').dataset.id.startsWith('relationship--')", "the saved relationship");
        String relationship = browser.script("return document.querySelector('#author-result').dataset.id;").asString();
        assertThat(latest(relationship).tree().get("source_ref").asString()).isEqualTo(greenIndicator);
        assertThat(latest(relationship).tree().get("target_ref").asString()).isEqualTo(bear);

        // The actor's view: its badges and the relationship drawn; then Edit, rename, save.
        browser.open(node.uri("/#knowledge/" + bear));
        browser.await("document.querySelector('#object-name') && document.querySelector('#graph').dataset.nodes === '2'", "the new actor with its indicator in the graph");
        assertThat(browser.text("#object-view .badges")).contains("TLP:AMBER", "H2", "PAP:GREEN", "B2");
        browser.click("#object-edit");
        browser.await("!document.querySelector('#view-authoring').hidden && document.querySelector('#author-title').textContent.startsWith('Edit threat-actor')", "the edit form");
        assertThat(browser.script("return [document.querySelector('#author-tlp').value, document.querySelector('#author-handling').value, document.querySelector('#author-pap').value,"
                + "document.querySelector('#author-reliability').value + document.querySelector('#author-credibility').value];").values())
                .extracting(JsonNode::asString).containsExactly("amber", "H2", "green", "B2");
        browser.clear("#author-fields input[name=name]");
        browser.type("#author-fields input[name=name]", "Browser Bear, edited");
        browser.clear("#author-fields textarea[name=description]");
        browser.click("#author-save");
        browser.await("document.querySelector('#author-result').classList.contains('ok') && document.querySelector('#author-result').textContent.includes('version')", "the saved edit");
        JsonNode edited = latest(bear).tree();
        assertThat(edited.get("name").asString()).isEqualTo("Browser Bear, edited");
        assertThat(edited.has("description")).isFalse();
        assertThat(edited.get("created").asString()).isEqualTo(stored.get("created").asString());
        assertThat(edited.get("object_marking_refs")).isEqualTo(stored.get("object_marking_refs"));
        browser.screenshot(SCREENSHOTS.resolve("06-authoring-edited.png"));

        // Two versions listed, the newest shown; switching shows the first one's JSON.
        browser.click("#author-open");
        browser.await("document.querySelectorAll('#object-versions tr').length === 2 && document.querySelector('#object-name').textContent.includes('edited')", "both versions of the actor");
        assertThat(browser.text("#object-version")).contains(edited.get("modified").asString()).doesNotContain("first version");
        browser.click("#object-versions tr[data-index=\"1\"]");
        browser.await("document.querySelector('#object-version').dataset.version === '" + stored.get("modified").asString() + "'", "the first version shown");
        assertThat(browser.text("#object-json")).contains("first version", "\"Browser Bear\"");
        assertThat(browser.script("return document.querySelector('#object-versions tr[data-index=\"1\"]').classList.contains('selected');").asBoolean()).isTrue();
        browser.screenshot(SCREENSHOTS.resolve("06-object-versions.png"));
    }

    @Test
    @Order(7)
    void aUserWithoutRightsSeesNeitherTheObjectsNorTheirExistence()
            throws Exception
    {
        signInAgainAs("bob");
        String campaign = ConsoleNode.id("campaign");
        node.add(ConsoleNode.INTEL, ConsoleNode.named(campaign, "Not for bob", ""));
        String visible = ConsoleNode.id("campaign");
        node.add(ConsoleNode.PUBLIC, ConsoleNode.named(visible, "Public campaign", ""));
        browser.await("document.querySelector('#feed-list tr[data-id=\"" + visible + "\"]')", "the public campaign in bob's feed");
        assertThat(browser.text("#feed-list")).doesNotContain("Not for bob", "Sandworm", "Live campaign");

        browser.click("nav a[data-view=knowledge]");
        browser.await(SEARCH_BOX_SHOWN, "the search box");
        browser.type("#search-input", "sandworm");
        browser.await("document.querySelector('#search-summary').textContent.startsWith('0 matches')", "bob's empty search");
        browser.open(node.uri("/#knowledge/" + actor));
        browser.await("document.querySelector('#object-view .error')", "the not-found message");
        assertThat(browser.text("#object-view")).contains("no object " + actor + " in the collections you may read");
        assertThat(browser.script("return document.querySelector('#graph').graphTestHook.nodes().length;").asInt()).isZero();
        browser.screenshot(SCREENSHOTS.resolve("08-no-rights.png"));
    }

    @Test
    @Order(8)
    void anAdministratorDryRunsReleasesAndRecallsAnObject()
            throws Exception
    {
        signInAgainAs("admin");
        browser.click("nav a[data-view=sharing]");
        String bravo = ConsoleExchangeFixture.BRAVO;
        browser.await("document.querySelector('#sharing-partners tr[data-partner=\"" + bravo + "\"]') && document.querySelector('#release-targets input')", "the partners and release targets");
        assertThat(browser.text("#sharing-partners tr[data-partner=\"" + bravo + "\"]")).contains("CERT Bravo", ConsoleExchangeFixture.FORUM, "0 waiting of 0");

        browser.script("const select = document.querySelector('#preview-partner'); select.value = arguments[0]; select.dispatchEvent(new Event('change'));", bravo);
        browser.type("#preview-objects", greenIndicator + "\n" + actor);
        browser.click("#preview-run");
        browser.await("document.querySelector('#preview-decisions tr.decision[data-object=\"" + actor + "\"]')", "the dry-run decisions");
        assertThat(browser.text("#preview-decisions tr.decision[data-object=\"" + greenIndicator + "\"]")).contains("released", "ALLOWED_BY_RULE", "forum gets green");
        assertThat(browser.text("#preview-decisions tr.decision[data-object=\"" + actor + "\"]")).contains("withheld", "NO_RULE_ALLOWS");
        assertThat(browser.text("#preview-decisions tr.decision[data-object=\"" + actor + "\"] .explanation")).isNotBlank();
        assertThat(browser.text("#preview-summary")).contains("1 of 2", "Nothing was queued");
        assertThat(node.exchange.outbox(bravo)).isEmpty();
        browser.screenshot(SCREENSHOTS.resolve("09-sharing-dry-run.png"));

        browser.type("#release-objects", greenIndicator);
        browser.click("#release-targets input[value=\"partner:" + bravo + "\"]");
        browser.click("#release-run");
        browser.await("document.querySelector('#release-result .partner-release[data-partner=\"" + bravo + "\"]')", "the release result");
        assertThat(browser.text("#release-result .partner-release[data-partner=\"" + bravo + "\"] h4")).contains("queued as envelope #1");
        browser.await("document.querySelector('#sharing-partners tr[data-partner=\"" + bravo + "\"] .outbox-depth').textContent.startsWith('1 waiting')", "the outbox depth");
        browser.click("#sharing-partners tr[data-partner=\"" + bravo + "\"]");
        browser.await("document.querySelector('#outbox-entries tr[data-kind=release][data-state=pending]')", "the queued envelope in the partner's outbox");
        assertThat(browser.text("#outbox-entries")).contains(greenIndicator);
        assertThat(node.exchange.outbox(bravo)).singleElement().satisfies(entry -> assertThat(entry.objectIds()).containsExactly(greenIndicator));
        browser.screenshot(SCREENSHOTS.resolve("10-sharing-released.png"));
        // Bravo's endpoint is unreachable: a delivery round fails, and the partner's row shows the failure and its error.
        node.exchange.deliverDue();
        String lastError = node.exchange.outbox(bravo).get(0).lastError().orElseThrow();
        browser.click("#sharing-refresh");
        String failures = "#sharing-partners tr[data-partner=\"" + bravo + "\"] .failures";
        browser.await("document.querySelector('" + failures.replace("'", "\\'") + "').textContent.startsWith('1')", "bravo's failed delivery");
        assertThat(browser.text(failures + " .last-error")).isEqualTo(lastError);
        assertThat(browser.script("return document.querySelector(arguments[0]).classList.contains('error');", failures).asBoolean()).isTrue();
        assertThat(browser.text("#sharing-partners tr[data-partner=\"" + bravo + "\"] .last-receipt")).isEqualTo("none yet");
        browser.screenshot(SCREENSHOTS.resolve("10-sharing-delivery-failed.png"));
        browser.click("nav a[data-view=feed]");
        String releasedRow = "#feed-list tr[data-id=\"" + greenIndicator + "\"][data-direction=released]";
        browser.await("document.querySelector('" + releasedRow.replace("'", "\\'") + "')", "the release in the live feed");
        assertThat(browser.text(releasedRow + " .partner")).isEqualTo("CERT Bravo (" + bravo + ")");
        assertThat(browser.text(releasedRow + " [data-badge=\"tlp:green\"]")).isEqualTo("TLP:GREEN");
        assertThat(browser.text(releasedRow + " [data-badge=\"release:TLP:GREEN\"]")).isEqualTo("TLP:GREEN");
        browser.screenshot(SCREENSHOTS.resolve("10-feed-released.png"));
        browser.click("nav a[data-view=sharing]");

        browser.type("#recall-object", greenIndicator);
        browser.type("#recall-reason", "false positive");
        browser.click("#recall-run");
        browser.await("document.querySelector('#recall-status-table tr[data-partner=\"" + bravo + "\"]')", "the recall status");
        assertThat(browser.text("#recall-summary")).contains("Recall queued to " + bravo);
        assertThat(browser.text("#recall-status-table tr[data-partner=\"" + bravo + "\"]")).contains("pending", "not yet");
        browser.click("#sharing-partners tr[data-partner=\"" + bravo + "\"]");
        browser.await("document.querySelector('#outbox-entries tr[data-kind=recall]')", "the recall in the partner's outbox");

        String recallRow = "#feed-list tr[data-id=\"" + greenIndicator + "\"][data-direction=recall-sent]";
        browser.await("document.querySelector('" + recallRow.replace("'", "\\'") + "')", "the recall in the live feed");
        // The feed is hidden behind the sharing screen: its text is read from the DOM.
        assertThat(browser.script("return document.querySelector(arguments[0]).textContent;", recallRow + " .partner").asString()).isEqualTo("CERT Bravo (" + bravo + ")");
        browser.click("#audit-run");
        browser.await("document.querySelector('#audit-entries tr[data-kind=RECALL]')", "the recall in the audit ledger");
        // Filtered by kind, then by partner: only the matching entries, as many as the ledger holds.
        int recalls = node.ledger.query(org.vigie.exchange.audit.AuditQuery.all().withKinds(java.util.Set.of(org.vigie.exchange.audit.AuditKind.RECALL))).size();
        int all = node.ledger.query(org.vigie.exchange.audit.AuditQuery.all()).size();
        assertThat(recalls).isPositive().isLessThan(all);
        select("#audit-kind", "RECALL");
        browser.click("#audit-run");
        browser.await("document.querySelectorAll('#audit-entries tr').length === " + recalls + " && [...document.querySelectorAll('#audit-entries tr')].every((row) => row.dataset.kind === 'RECALL')",
                "only the recall entries");
        assertThat(browser.text("#audit-summary")).startsWith(recalls + " entr");
        int bravoEntries = node.ledger.query(org.vigie.exchange.audit.AuditQuery.all().withPartner(bravo)).size();
        assertThat(bravoEntries).isPositive().isLessThan(all);
        select("#audit-kind", "");
        select("#audit-partner", bravo);
        browser.click("#audit-run");
        browser.await("document.querySelectorAll('#audit-entries tr').length === " + bravoEntries + " && [...document.querySelectorAll('#audit-entries tr')].every((row) => row.dataset.partner === '" + bravo + "')",
                "only bravo's entries");
        browser.screenshot(SCREENSHOTS.resolve("11-sharing-audit-filtered.png"));
        select("#audit-partner", "");
        browser.click("#audit-verify");
        browser.await("document.querySelector('#audit-verification').textContent.length > 0", "the ledger verification");
        assertThat(browser.text("#audit-verification")).startsWith("intact");
        browser.screenshot(SCREENSHOTS.resolve("11-sharing-recalled-audit.png"));
    }

    @Test
    @Order(9)
    void detectionListsAStoredSightingPerIndicator()
            throws Exception
    {
        browser.click("nav a[data-view=detection]");
        browser.await("document.querySelector('#detection-targets tr[data-id=\"" + greenIndicator + "\"]')", "the sighted indicator");
        assertThat(browser.text("#detection-targets tr[data-id=\"" + greenIndicator + "\"] .name")).isEqualTo("Browser C2");
        assertThat(browser.text("#detection-targets tr[data-id=\"" + greenIndicator + "\"] .sightings")).isEqualTo("1");
        assertThat(browser.text("#detection-partners")).contains("CERT Bravo (" + ConsoleExchangeFixture.BRAVO + ")");
        assertThat(browser.script("return document.querySelectorAll('#detection-chart rect').length;").asInt()).isPositive();
        browser.screenshot(SCREENSHOTS.resolve("12-detection.png"));
    }

    @Test
    @Order(10)
    void detectionCountsASightingPostedOverTaxiiWithoutReload()
            throws Exception
    {
        browser.click("nav a[data-view=detection]");
        browser.await("document.querySelector('#detection-targets tr[data-id=\"" + greenIndicator + "\"] .sightings').textContent === '1'", "one sighting of the indicator");
        String chartBefore = browser.script("return document.querySelector('#detection-chart').innerHTML;").asString();
        browser.script("window.detectionPageMarker = 'not reloaded';");
        String sighting = ConsoleSharingApiTest.sighting(greenIndicator, "2026-03-01T11:45:00.000Z", 4, null);
        HttpResponse<String> posted = HttpClient.newHttpClient().send(HttpRequest.newBuilder(node.uri("/vigie/collections/" + ConsoleNode.INTEL + "/objects/"))
                .header("Authorization", ConsoleHttp.basic("alice", ConsoleNode.PASSWORD))
                .header("Content-Type", "application/taxii+json;version=2.1")
                .header("Accept", "application/taxii+json;version=2.1")
                .POST(HttpRequest.BodyPublishers.ofString("{\"objects\":[" + sighting + "]}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
        String row = "#detection-targets tr[data-id=\"" + greenIndicator + "\"]";
        browser.await("document.querySelector('" + row.replace("'", "\\'") + " .sightings').textContent === '2'", "the indicator's count moving to 2 on the open screen");
        assertThat(browser.script("return window.detectionPageMarker;").asString()).isEqualTo("not reloaded");
        String chartAfter = browser.script("return document.querySelector('#detection-chart').innerHTML;").asString();
        assertThat(chartAfter).isNotEqualTo(chartBefore).contains("2026-03-01T11:00:00.000Z: 1").doesNotContain("2026-03-01T11:00:00.000Z: 0");
        assertThat(chartBefore).doesNotContain("2026-03-01T11:00:00.000Z: 1");
        browser.screenshot(SCREENSHOTS.resolve("12-detection-live.png"));
    }

    @Test
    @Order(11)
    void aUserNotClearedForAMarkingSeesNeitherTheObjectNorItsExistence()
            throws Exception
    {
        signInAgainAs("carol");
        // Carol reads the intel collection but is cleared only up to TLP:GREEN.
        String amber = ConsoleNode.id("campaign");
        String green = ConsoleNode.id("campaign");
        node.add(ConsoleNode.INTEL, ConsoleNode.named(amber, "Amber for the cleared", ",\"object_marking_refs\":[\"" + TlpMarkings.Tlp.AMBER.id() + "\"]"));
        node.add(ConsoleNode.INTEL, ConsoleNode.named(green, "Green for carol", ",\"object_marking_refs\":[\"" + TlpMarkings.Tlp.GREEN.id() + "\"]"));
        browser.await("document.querySelector('#feed-list tr[data-id=\"" + green + "\"]')", "the green campaign in carol's feed");
        assertThat(browser.text("#feed-list")).doesNotContain("Amber for the cleared", "Sandworm", "Live campaign");

        browser.click("nav a[data-view=knowledge]");
        browser.await(SEARCH_BOX_SHOWN, "the search box");
        browser.type("#search-input", "sandworm");
        browser.await("document.querySelector('#search-summary').textContent.startsWith('0 matches')", "carol's empty search");
        browser.clear("#search-input");
        browser.type("#search-input", "browser c2");
        browser.await("document.querySelector('#search-results tr[data-id=\"" + greenIndicator + "\"]')", "the green indicator carol may see");
        browser.open(node.uri("/#knowledge/" + actor));
        browser.await("document.querySelector('#object-view .error')", "the not-found message");
        assertThat(browser.text("#object-view")).contains("no object " + actor + " in the collections you may read");
        browser.open(node.uri("/#knowledge/" + greenIndicator));
        browser.await("document.querySelector('#object-name') && document.querySelector('#object-name').textContent.includes('Browser C2')", "the green indicator's view");
        assertThat(browser.text("#object-view")).doesNotContain("Sandworm");
        browser.screenshot(SCREENSHOTS.resolve("13-clearance.png"));
    }

    private void select(String css, String value)
    {
        browser.script("const select = document.querySelector(arguments[0]); select.value = arguments[1]; select.dispatchEvent(new Event('change'));", css, value);
        assertThat(browser.script("return document.querySelector(arguments[0]).value;", css).asString()).as(css).isEqualTo(value);
    }

    private org.vigie.stix.StixObject latest(String id)
    {
        return node.store.findObjects(ConsoleNode.INTEL, org.vigie.store.ObjectQuery.all(1).withIds(List.of(id))).objects().get(0).object();
    }

    private void signInAgainAs(String user)
            throws Exception
    {
        browser.click("#logout");
        browser.await("document.readyState === 'complete' && document.querySelector('#view-login') && !document.querySelector('#view-login').hidden", "the login form after signing out");
        browser.type("#login-user", user);
        browser.type("#login-password", ConsoleNode.PASSWORD);
        browser.click("#login-submit");
        browser.await("document.querySelector('#feed-status') && document.querySelector('#feed-status').classList.contains('connected')", user + "'s live feed");
    }
}
