package org.vigie.taxii.server;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vigie.stix.Timestamps;
import org.vigie.taxii.client.ObjectsQuery;
import org.vigie.taxii.client.TaxiiClient;
import org.vigie.taxii.client.TaxiiResources;
import org.vigie.taxii.testing.StixFixtures;
import org.vigie.taxii.testing.TestNode;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vigie.taxii.testing.TestNode.SHARED;

/** Every TAXII endpoint and filter over real HTTP, checked against what was posted (in-memory store). */
class TaxiiEndpointsTest
{
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final Instant CREATED = Instant.parse("2025-03-01T10:00:00Z");

    private TestNode node;
    private TaxiiClient analyst;
    private final StixFixtures fixtures = new StixFixtures(42);
    // id of an indicator posted in three versions, each in its own POST (so dates added differ).
    private String indicatorId;
    private final List<Instant> indicatorVersions = List.of(CREATED, CREATED.plusSeconds(60), CREATED.plusSeconds(120));
    private String malwareId;
    private String addressId;

    @BeforeEach
    void setUp()
    {
        node = startNode(Map.of());
        analyst = node.client("analyst");
        indicatorId = fixtures.newId("indicator");
        malwareId = fixtures.newId("malware");
        addressId = fixtures.newId("ipv4-addr");
        for (Instant version : indicatorVersions) {
            TaxiiResources.Status status = analyst.addObjects(SHARED, List.of(StixFixtures.indicator(indicatorId, CREATED, version)));
            assertThat(status.failures()).isEmpty();
            assertThat(status.successCount()).isEqualTo(1);
            node.clock().advance(Duration.ofSeconds(1));
        }
        analyst.addObjects(SHARED, List.of(StixFixtures.malware(malwareId, CREATED), StixFixtures.ipv4(addressId, "198.51.100.7")));
    }

    /** The node under test; subclasses run every test on another store. */
    protected TestNode startNode(Map<String, String> properties)
    {
        return TestNode.start(properties);
    }

    @AfterEach
    void tearDown()
    {
        node.close();
    }

    @Test
    void discoveryNamesTheApiRoot()
    {
        HttpResponse<String> response = node.get("/taxii2/", "reader");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/taxii+json;version=2.1"));
        TaxiiResources.Discovery discovery = analyst.discovery();
        String apiRootUrl = node.server().baseUri().resolve("vigie/").toString();
        assertThat(discovery.title()).isEqualTo(TaxiiServerConfig.DEFAULT_TITLE);
        assertThat(discovery.defaultApiRoot()).contains(apiRootUrl);
        assertThat(discovery.apiRoots()).containsExactly(apiRootUrl);
    }

    @Test
    void apiRootDescribesVersionsAndMaxContentLength()
    {
        TaxiiResources.ApiRoot apiRoot = analyst.apiRoot();
        assertThat(apiRoot.versions()).containsExactly("application/taxii+json;version=2.1");
        assertThat(apiRoot.maxContentLength()).isEqualTo(TaxiiServerConfig.DEFAULT_MAX_CONTENT_LENGTH);
        assertThat(node.get("/other-root/", "analyst").statusCode()).isEqualTo(404);
    }

    @Test
    void collectionsShowOnlyVisibleOnesWithTheirRights()
    {
        assertThat(node.client("analyst").collections()).singleElement().satisfies(collection -> {
            assertThat(collection.id()).isEqualTo(SHARED);
            assertThat(collection.canRead()).isTrue();
            assertThat(collection.canWrite()).isTrue();
            assertThat(collection.alias()).contains("shared");
            assertThat(collection.mediaTypes()).containsExactly("application/stix+json;version=2.1");
        });
        assertThat(node.client("reader").collections()).singleElement().satisfies(collection -> {
            assertThat(collection.canRead()).isTrue();
            assertThat(collection.canWrite()).isFalse();
        });
        assertThat(node.client("writer").collections()).singleElement().satisfies(collection -> {
            assertThat(collection.canRead()).isFalse();
            assertThat(collection.canWrite()).isTrue();
        });
        assertThat(node.client("outsider").collections()).isEmpty();
        assertThat(node.client("admin").collections()).extracting(TaxiiResources.Collection::id).containsExactly(SHARED, TestNode.PRIVATE);

        assertThat(node.client("reader").collection(SHARED).title()).isEqualTo("Shared");
        // Hidden and missing collections are indistinguishable.
        int hidden = node.get("/vigie/collections/" + TestNode.PRIVATE + "/", "analyst").statusCode();
        int missing = node.get("/vigie/collections/6f7a1b2c-0000-4000-8000-0000000000ff/", "analyst").statusCode();
        assertThat(hidden).isEqualTo(404);
        assertThat(missing).isEqualTo(404);
    }

    @Test
    void objectsDefaultToTheLastVersionOfEachObject()
    {
        TaxiiResources.Envelope envelope = analyst.getObjects(SHARED, ObjectsQuery.all());
        assertThat(envelope.more()).isFalse();
        assertThat(envelope.next()).isEmpty();
        assertThat(envelope.objects()).extracting(object -> object.path("id").asString()).containsExactlyInAnyOrder(indicatorId, malwareId, addressId);
        JsonNode indicator = envelope.objects().stream().filter(object -> object.path("id").asString().equals(indicatorId)).findFirst().orElseThrow();
        assertThat(Timestamps.parse(indicator.path("modified").asString())).isEqualTo(indicatorVersions.get(2));
        assertThat(envelope.dateAddedFirst()).isPresent();
        assertThat(envelope.dateAddedLast()).isPresent();
    }

    @Test
    void objectsAreServedExactlyAsPosted()
    {
        String custom = "{\"type\":\"x-acme-widget\",\"spec_version\":\"2.1\",\"id\":\"x-acme-widget--0f2b6a4c-1d7e-4b8a-9c3d-2e5f6a7b8c9d\",\"created\":\"2025-01-01T00:00:00.123456Z\",\"modified\":\"2025-01-01T00:00:00.123456Z\",\"x_ratio\":1.50,\"x_nested\":{\"b\":1,\"a\":[true,null]}}";
        analyst.addObjects(SHARED, List.of(custom));
        HttpResponse<String> response = node.get("/vigie/collections/" + SHARED + "/objects/?match[type]=x-acme-widget", "analyst");
        assertThat(response.body()).contains(custom);
    }

    @Test
    void matchTypeIdAndSpecVersionFilter()
    {
        assertThat(ids(analyst.getObjects(SHARED, ObjectsQuery.all().withTypes("malware", "ipv4-addr")))).containsExactlyInAnyOrder(malwareId, addressId);
        assertThat(ids(analyst.getObjects(SHARED, ObjectsQuery.all().withIds(indicatorId, addressId)))).containsExactlyInAnyOrder(indicatorId, addressId);
        assertThat(ids(analyst.getObjects(SHARED, ObjectsQuery.all().withSpecVersions("2.1")))).hasSize(3);
        assertThat(analyst.getObjects(SHARED, ObjectsQuery.all().withSpecVersions("2.0")).objects()).isEmpty();
        // Several values may also come as repeated parameters.
        HttpResponse<String> response = node.get("/vigie/collections/" + SHARED + "/objects/?match[type]=malware&match[type]=ipv4-addr", "analyst");
        assertThat(ids(parse(response.body()).path("objects"))).containsExactlyInAnyOrder(malwareId, addressId);
    }

    @Test
    void matchVersionSelectsFirstLastAllAndTimestamps()
    {
        ObjectsQuery indicator = ObjectsQuery.all().withIds(indicatorId);
        assertThat(modified(analyst.getObjects(SHARED, indicator.withVersions("first")))).containsExactly(indicatorVersions.get(0));
        assertThat(modified(analyst.getObjects(SHARED, indicator.withVersions("last")))).containsExactly(indicatorVersions.get(2));
        assertThat(modified(analyst.getObjects(SHARED, indicator.withVersions("all")))).containsExactlyElementsOf(indicatorVersions);
        assertThat(modified(analyst.getObjects(SHARED, indicator.withVersions("first", "last")))).containsExactly(indicatorVersions.get(0), indicatorVersions.get(2));
        String middle = Timestamps.format(indicatorVersions.get(1));
        assertThat(modified(analyst.getObjects(SHARED, indicator.withVersions(middle)))).containsExactly(indicatorVersions.get(1));
        assertThat(node.get("/vigie/collections/" + SHARED + "/objects/?match[version]=yesterday", "analyst").statusCode()).isEqualTo(400);
    }

    @Test
    void addedAfterReturnsOnlyLaterAdditions()
    {
        TaxiiResources.Manifest manifest = analyst.manifest(SHARED, ObjectsQuery.all().withVersions("all"));
        assertThat(manifest.objects()).hasSize(5);
        for (int index = 0; index < manifest.objects().size(); index++) {
            String dateAdded = manifest.objects().get(index).dateAdded();
            TaxiiResources.Manifest later = analyst.manifest(SHARED, ObjectsQuery.all().withVersions("all").withAddedAfter(dateAdded));
            assertThat(later.objects()).containsExactlyElementsOf(manifest.objects().subList(index + 1, manifest.objects().size()));
        }
    }

    @Test
    void manifestListsVersionsDatesAndMediaTypes()
    {
        TaxiiResources.Manifest manifest = analyst.manifest(SHARED, ObjectsQuery.all().withIds(indicatorId).withVersions("all"));
        assertThat(manifest.objects()).extracting(TaxiiResources.ManifestRecord::version)
                .containsExactlyElementsOf(indicatorVersions.stream().map(Timestamps::format).toList());
        assertThat(manifest.objects()).allSatisfy(record -> {
            assertThat(record.id()).isEqualTo(indicatorId);
            assertThat(record.mediaType()).isEqualTo("application/stix+json;version=2.1");
        });
        List<Instant> dates = manifest.objects().stream().map(record -> Timestamps.parse(record.dateAdded())).toList();
        assertThat(dates).isSorted();
        assertThat(manifest.dateAddedFirst()).contains(manifest.objects().get(0).dateAdded());
        assertThat(manifest.dateAddedLast()).contains(manifest.objects().get(2).dateAdded());
        // An unversioned SCO's version is its date added.
        TaxiiResources.Manifest address = analyst.manifest(SHARED, ObjectsQuery.all().withIds(addressId));
        assertThat(Timestamps.parse(address.objects().get(0).version())).isEqualTo(Timestamps.parse(address.objects().get(0).dateAdded()));
    }

    @Test
    void objectEndpointServesOneObjectsVersions()
    {
        assertThat(modified(analyst.getObject(SHARED, indicatorId, ObjectsQuery.all()))).containsExactly(indicatorVersions.get(2));
        assertThat(modified(analyst.getObject(SHARED, indicatorId, ObjectsQuery.all().withVersions("all")))).containsExactlyElementsOf(indicatorVersions);
        TaxiiResources.Envelope paged = analyst.getObject(SHARED, indicatorId, ObjectsQuery.all().withVersions("all").withLimit(2));
        assertThat(paged.more()).isTrue();
        assertThat(modified(analyst.getObject(SHARED, indicatorId, ObjectsQuery.all().withVersions("all").withNext(paged.next().orElseThrow()))))
                .containsExactly(indicatorVersions.get(2));
        assertThat(node.get("/vigie/collections/" + SHARED + "/objects/" + fixtures.newId("indicator") + "/", "analyst").statusCode()).isEqualTo(404);
    }

    @Test
    void versionsEndpointListsEveryVersionInOrderAdded()
    {
        TaxiiResources.Versions versions = analyst.versions(SHARED, indicatorId, ObjectsQuery.all());
        assertThat(versions.versions()).containsExactlyElementsOf(indicatorVersions.stream().map(Timestamps::format).toList());
        assertThat(versions.more()).isFalse();
        TaxiiResources.Versions firstPage = analyst.versions(SHARED, indicatorId, ObjectsQuery.all().withLimit(1));
        assertThat(firstPage.versions()).containsExactly(Timestamps.format(indicatorVersions.get(0)));
        assertThat(firstPage.more()).isTrue();
        assertThat(firstPage.dateAddedFirst()).isEqualTo(firstPage.dateAddedLast());
    }

    @Test
    void deleteRemovesSelectedVersions()
    {
        analyst.deleteObject(SHARED, indicatorId, ObjectsQuery.all().withVersions("first"));
        assertThat(analyst.versions(SHARED, indicatorId, ObjectsQuery.all()).versions())
                .containsExactlyElementsOf(indicatorVersions.subList(1, 3).stream().map(Timestamps::format).toList());
        HttpResponse<String> deleted = node.send("DELETE", "/vigie/collections/" + SHARED + "/objects/" + indicatorId + "/?match[version]=all", null,
                "Authorization", TestNode.basic("analyst", TestNode.PASSWORD), "Accept", TaxiiClient.TAXII_MEDIA_TYPE);
        assertThat(deleted.statusCode()).isEqualTo(200);
        assertThat(node.get("/vigie/collections/" + SHARED + "/objects/" + indicatorId + "/", "analyst").statusCode()).isEqualTo(404);
        HttpResponse<String> again = node.send("DELETE", "/vigie/collections/" + SHARED + "/objects/" + indicatorId + "/", null,
                "Authorization", TestNode.basic("analyst", TestNode.PASSWORD));
        assertThat(again.statusCode()).isEqualTo(404);
        HttpResponse<String> byReader = node.send("DELETE", "/vigie/collections/" + SHARED + "/objects/" + malwareId + "/", null,
                "Authorization", TestNode.basic("reader", TestNode.PASSWORD));
        assertThat(byReader.statusCode()).isEqualTo(403);
    }

    @Test
    void mixedBundleStoresValidObjectsAndReportsEachInvalidOne()
    {
        String valid = StixFixtures.malware(fixtures.newId("malware"), CREATED);
        String duplicate = StixFixtures.malware(malwareId, CREATED);
        String noId = "{\"type\":\"malware\",\"spec_version\":\"2.1\",\"created\":\"2025-01-01T00:00:00Z\",\"modified\":\"2025-01-01T00:00:00Z\",\"name\":\"x\",\"is_family\":true}";
        String wrongPrefix = StixFixtures.malware(fixtures.newId("tool"), CREATED);
        String badTimestamp = StixFixtures.malware(fixtures.newId("malware"), CREATED).replace(Timestamps.format(CREATED), "yesterday");
        String oldSpec = StixFixtures.malware(fixtures.newId("malware"), CREATED).replace("\"spec_version\":\"2.1\",", "");
        String bundle = "{\"type\":\"bundle\",\"id\":\"bundle--" + java.util.UUID.randomUUID() + "\",\"objects\":[" + String.join(",", valid, noId, duplicate, wrongPrefix, badTimestamp, oldSpec) + "]}";

        HttpResponse<String> response = node.send("POST", "/vigie/collections/" + SHARED + "/objects/", bundle,
                "Authorization", TestNode.basic("analyst", TestNode.PASSWORD),
                "Accept", TaxiiClient.TAXII_MEDIA_TYPE,
                "Content-Type", TaxiiClient.TAXII_MEDIA_TYPE);
        assertThat(response.statusCode()).isEqualTo(202);
        JsonNode status = parse(response.body());
        assertThat(status.path("status").asString()).isEqualTo("complete");
        assertThat(status.path("total_count").asInt()).isEqualTo(6);
        assertThat(status.path("success_count").asInt()).isEqualTo(2);
        assertThat(status.path("failure_count").asInt()).isEqualTo(4);
        assertThat(status.path("pending_count").asInt()).isEqualTo(0);
        assertThat(ids(status.path("successes"))).containsExactly(parse(valid).path("id").asString(), malwareId);
        assertThat(status.path("successes").get(1).path("message").asString()).contains("already");
        assertThat(status.path("failures")).allSatisfy(failure -> assertThat(failure.path("message").asString()).isNotBlank());
        assertThat(status.path("failures").get(3).path("message").asString()).contains("spec_version");

        // The status resource can be read again; only the valid new object was added.
        TaxiiResources.Status polled = analyst.status(status.path("id").asString());
        assertThat(polled.successCount()).isEqualTo(2);
        assertThat(polled.failures()).hasSize(4);
        assertThat(node.store().countObjects(SHARED)).isEqualTo(6);
        assertThat(node.get("/vigie/status/" + status.path("id").asString() + "/", "reader").statusCode()).isEqualTo(404);
        assertThat(node.get("/vigie/status/00000000-0000-4000-8000-000000000000/", "analyst").statusCode()).isEqualTo(404);
    }

    @Test
    void awaitStatusReturnsTheCompletedStatus()
    {
        TaxiiResources.Status posted = analyst.addObjects(SHARED, List.of(StixFixtures.malware(fixtures.newId("malware"), CREATED)));
        TaxiiResources.Status awaited = analyst.awaitStatus(posted.id(), Duration.ofMillis(10), 3);
        assertThat(awaited).isEqualTo(posted);
    }

    @Test
    void malformedJsonIsABadRequest()
    {
        HttpResponse<String> response = node.send("POST", "/vigie/collections/" + SHARED + "/objects/", "{\"objects\":[{\"id\":",
                "Authorization", TestNode.basic("analyst", TestNode.PASSWORD), "Content-Type", TaxiiClient.TAXII_MEDIA_TYPE);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(parse(response.body()).path("error_code").asString()).isEqualTo("VG-0003");
        HttpResponse<String> notEnvelope = node.send("POST", "/vigie/collections/" + SHARED + "/objects/", "[1,2]",
                "Authorization", TestNode.basic("analyst", TestNode.PASSWORD), "Content-Type", TaxiiClient.TAXII_MEDIA_TYPE);
        assertThat(notEnvelope.statusCode()).isEqualTo(400);
    }

    @Test
    void invalidFiltersAreBadRequestsNamingTheParameter()
    {
        for (String query : List.of("limit=0", "limit=ten", "added_after=2025-01-01", "match[spec_version]=two", "next=not-a-cursor")) {
            HttpResponse<String> response = node.get("/vigie/collections/" + SHARED + "/objects/?" + query, "analyst");
            assertThat(response.statusCode()).as(query).isEqualTo(400);
            JsonNode error = parse(response.body());
            assertThat(error.path("http_status").asString()).isEqualTo("400");
            assertThat(error.path("description").asString()).as(query).contains(query.substring(0, query.indexOf('=')).replace("match[spec_version]", "spec_version"));
        }
    }

    @Test
    void limitIsCappedByTheConfiguredMaximum()
    {
        try (TestNode small = startNode(Map.of("taxii.page-size-max", "2", "taxii.page-size-default", "1"))) {
            TaxiiClient client = small.client("analyst");
            List<String> objects = new ArrayList<>();
            for (int index = 0; index < 5; index++) {
                objects.add(StixFixtures.malware(fixtures.newId("malware"), CREATED));
            }
            client.addObjects(SHARED, objects);
            assertThat(client.getObjects(SHARED, ObjectsQuery.all()).objects()).hasSize(1);
            assertThat(client.getObjects(SHARED, ObjectsQuery.all().withLimit(1000)).objects()).hasSize(2);
            List<JsonNode> all = new ArrayList<>();
            client.allObjects(SHARED, ObjectsQuery.all()).forEach(all::add);
            assertThat(ids(all)).containsExactlyInAnyOrderElementsOf(objects.stream().map(object -> parse(object).path("id").asString()).toList());
        }
    }

    private static List<String> ids(TaxiiResources.Envelope envelope)
    {
        return ids(envelope.objects());
    }

    private static List<String> ids(Iterable<JsonNode> nodes)
    {
        List<String> ids = new ArrayList<>();
        nodes.forEach(object -> ids.add(object.path("id").asString()));
        return ids;
    }

    private static List<Instant> modified(TaxiiResources.Envelope envelope)
    {
        return envelope.objects().stream().map(object -> Timestamps.parse(object.path("modified").asString())).toList();
    }

    private static JsonNode parse(String json)
    {
        return MAPPER.readTree(json);
    }
}
