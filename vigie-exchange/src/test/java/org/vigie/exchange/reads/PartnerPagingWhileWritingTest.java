package org.vigie.exchange.reads;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.exchange.marking.Tlp;
import org.vigie.exchange.partner.Partner;
import org.vigie.exchange.policy.ReleasePolicy;
import org.vigie.exchange.testing.TestObjects;
import org.vigie.exchange.testing.TestPartners;
import org.vigie.stix.json.StixJson;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A partner pages through a collection with a small limit while objects it may and may not see keep
 * arriving between its requests: it is served every visible object exactly once, never a withheld one,
 * and never more than the limit per page.
 */
class PartnerPagingWhileWritingTest
{
    private static final String COLLECTION = "busy";

    @TempDir
    Path directory;

    @Test
    void everyVisibleObjectOnceWhileOthersWrite()
            throws Exception
    {
        try (ReadsFixture node = new ReadsFixture(directory, Map.of("http.port", "0"), Map.of("reader", "b"))) {
            node.registry.putPartner(new Partner("b", "Node b", TestPartners.identityOf("b"), URI.create("https://127.0.0.1:1/"), "%064x".formatted(98),
                    TestPartners.newKey("b").toPublicJWK()));
            node.user("reader", "reader-password");
            node.policy.set(ReleasePolicy.fromJson("{\"name\":\"p\",\"rules\":[{\"name\":\"green\",\"effect\":\"allow\",\"partners\":[\"b\"],\"max_tlp\":\"green\"}]}"));
            node.collection(COLLECTION);
            Random random = new Random(7);
            List<String> visible = new ArrayList<>();
            int number = 0;
            number = write(node, random, number, 20, visible);

            HttpClient http = HttpClient.newHttpClient();
            String authorization = "Basic " + Base64.getEncoder().encodeToString("reader:reader-password".getBytes(StandardCharsets.UTF_8));
            List<String> served = new ArrayList<>();
            String position = "";
            int limit = 3;
            for (int request = 0; request < 500; request++) {
                String uri = node.baseUri() + "vigie/collections/" + COLLECTION + "/objects/?limit=" + limit + position;
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(uri)).header("Accept", "application/taxii+json;version=2.1")
                        .header("Authorization", authorization).GET().build(), HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                JsonNode page = StixJson.parse(response.body());
                assertThat(page.path("objects").size()).isLessThanOrEqualTo(limit);
                page.path("objects").values().forEach(object -> served.add(object.path("id").asString()));
                // Others write between the partner's requests, for the first forty of them.
                if (request < 40) {
                    node.clock.advance(Duration.ofMillis(1));
                    number = write(node, random, number, random.nextInt(4), visible);
                }
                if (!page.path("more").booleanValue() && request >= 40) {
                    break;
                }
                if (page.path("more").booleanValue()) {
                    position = "&next=" + page.path("next").asString();
                }
                else if (response.headers().firstValue("X-TAXII-Date-Added-Last").isPresent()) {
                    // At the end of what exists, a polling partner resumes after the last object it was served.
                    position = "&added_after=" + response.headers().firstValue("X-TAXII-Date-Added-Last").get();
                }
            }
            assertThat(served).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(visible);
        }
    }

    /** Adds objects, about half of them TLP:RED (withheld from the partner), and returns the next number. */
    private static int write(ReadsFixture node, Random random, int number, int count, List<String> visible)
    {
        List<ObjectNode> objects = new ArrayList<>();
        for (int index = 0; index < count; index++) {
            boolean green = random.nextBoolean();
            ObjectNode indicator = TestObjects.indicator(number++, green ? Tlp.GREEN : Tlp.RED);
            objects.add(indicator);
            if (green) {
                visible.add(TestObjects.idOf(indicator));
            }
        }
        if (!objects.isEmpty()) {
            node.add(COLLECTION, objects);
        }
        return number;
    }
}
