package org.vigie.console;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.exchange.marking.HandlingCode;
import org.vigie.exchange.marking.VigieMarking;
import org.vigie.exchange.partner.Partner;
import org.vigie.exchange.service.ExchangeConfig;
import org.vigie.exchange.service.ReceivedObject;
import org.vigie.stix.Timestamps;
import org.vigie.stix.markings.TlpMarkings;
import org.vigie.store.CollectionInfo;
import org.vigie.taxii.auth.AuthenticatedUser;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Detection screen's counts made by the database ({@link SightingQueries}) against the per-row
 * computation they replaced (kept here as the reference: every sighting row of the index read, each one's
 * markings checked, then counted in Java), on a seeded random set of sightings with mixed markings (none,
 * TLP levels, a handling code, both), creators (none, identities, one of them above carol's clearance, a
 * partner's identity, a missing one), collections (one only the administrator reads, the exchange's inbox)
 * and times, for every user of {@link ConsoleNode} and several buckets and ranges.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DetectionCountsTest
{
    private static final Instant START = Instant.parse("2026-02-27T00:00:00Z");
    private static final String INBOX = ExchangeConfig.defaults().inboxCollection();

    private ConsoleNode node;
    private ConsoleHttp client;
    private final Map<String, String> tokens = new TreeMap<>();
    private final Map<String, AuthenticatedUser> users = new TreeMap<>();

    @BeforeAll
    void start(@TempDir Path directory)
            throws Exception
    {
        node = new ConsoleNode(directory);
        client = new ConsoleHttp(node);
        if (node.store.listCollections().stream().noneMatch(collection -> collection.id().equals(INBOX))) {
            node.store.createCollection(CollectionInfo.of(INBOX, "Inbox"));
        }
        Random random = new Random(20261122);
        String handling = VigieMarking.empty().withHandling(HandlingCode.H2, Optional.empty())
                .toMarkingDefinition(Instant.parse("2026-01-01T00:00:00Z"), ConsoleExchangeFixture.LOCAL_IDENTITY).toString();
        String handlingId = ConsoleJson.MAPPER.readTree(handling).get("id").stringValue();
        List<String> markingSets = List.of("", q(TlpMarkings.Tlp.CLEAR.id()), q(TlpMarkings.Tlp.GREEN.id()), q(TlpMarkings.Tlp.AMBER.id()), q(TlpMarkings.Tlp.RED.id()),
                q(handlingId), q(TlpMarkings.Tlp.GREEN.id()) + "," + q(handlingId), q(handlingId) + "," + q(TlpMarkings.Tlp.AMBER.id()));
        List<String> collections = List.of(ConsoleNode.INTEL, ConsoleNode.INTEL, ConsoleNode.INTEL, ConsoleNode.SECRET, ConsoleNode.PUBLIC, INBOX);
        String redCreator = ConsoleNode.id("identity");
        String plainCreator = ConsoleNode.id("identity");
        node.add(ConsoleNode.INTEL, TlpMarkings.Tlp.GREEN.json(), handling,
                ConsoleNode.named(plainCreator, "Plain SOC", ",\"identity_class\":\"organization\""),
                ConsoleNode.named(redCreator, "Red SOC", ",\"identity_class\":\"organization\"" + markings(q(TlpMarkings.Tlp.RED.id()))));
        node.add(INBOX, handling);
        List<String> creators = new ArrayList<>(List.of(plainCreator, redCreator, ConsoleExchangeFixture.BRAVO_IDENTITY, ConsoleNode.id("identity")));
        creators.add(null);
        List<String> sighted = new ArrayList<>();
        for (int index = 0; index < 40; index++) {
            String indicator = ConsoleNode.id("indicator");
            sighted.add(indicator);
            node.add(collections.get(random.nextInt(collections.size())), ConsoleSharingApiTest.indicator(indicator, "Indicator " + index, "198.51.100." + index,
                    List.of(TlpMarkings.Tlp.CLEAR, TlpMarkings.Tlp.GREEN, TlpMarkings.Tlp.AMBER, TlpMarkings.Tlp.RED).get(random.nextInt(4)).id()));
        }
        sighted.add(ConsoleNode.id("indicator"));
        sighted.add(plainCreator);
        for (int index = 0; index < 700; index++) {
            // A few objects are sighted often (the ranking has ties and leaders), most rarely.
            String target = sighted.get(random.nextBoolean() ? random.nextInt(6) : random.nextInt(sighted.size()));
            Instant time = START.plusMillis(random.nextLong(Duration.ofDays(3).toMillis()));
            node.add(collections.get(random.nextInt(collections.size())), sighting(target, random.nextInt(8) == 0 ? Optional.empty() : Optional.of(time),
                    random.nextInt(6) == 0 ? Optional.empty() : Optional.of(1 + random.nextInt(40)), creators.get(random.nextInt(creators.size())),
                    markingSets.get(random.nextInt(markingSets.size()))));
        }
        for (String user : List.of("admin", "alice", "bob", "carol")) {
            tokens.put(user, client.login(user));
        }
        users.put("admin", new AuthenticatedUser("admin", List.of(), List.of(), true, AuthenticatedUser.Method.BEARER_TOKEN));
        users.put("alice", new AuthenticatedUser("alice", List.of(ConsoleNode.INTEL), List.of(ConsoleNode.INTEL), false, AuthenticatedUser.Method.BEARER_TOKEN));
        users.put("bob", new AuthenticatedUser("bob", List.of(ConsoleNode.PUBLIC), List.of(), false, AuthenticatedUser.Method.BEARER_TOKEN));
        users.put("carol", new AuthenticatedUser("carol", List.of(ConsoleNode.INTEL), List.of(), false, AuthenticatedUser.Method.BEARER_TOKEN));
    }

    @AfterAll
    void stop()
    {
        node.close();
    }

    @Test
    void theDatabaseCountsAsThePerRowComputationForEveryUserBucketAndRange()
            throws Exception
    {
        List<String> queries = List.of("", "?bucket=minute", "?bucket=day",
                "?bucket=minute&from=" + encode("2026-02-28T03:00:00Z") + "&to=" + encode("2026-02-28T07:30:00Z"),
                "?bucket=hour&from=" + encode("2026-02-28T12:00:00.000500Z"),
                "?bucket=hour&to=" + encode("2026-02-27T10:00:00Z"),
                "?from=" + encode("2027-01-01T00:00:00Z") + "&to=" + encode("2027-01-02T00:00:00Z"));
        Map<String, Long> totals = new TreeMap<>();
        for (Map.Entry<String, AuthenticatedUser> user : users.entrySet()) {
            for (String query : queries) {
                ObjectNode answer = (ObjectNode) client.get(tokens.get(user.getKey()), "/console/api/detection/sightings" + query);
                assertThat(answer.get("elapsed_microseconds").longValue()).isNotNegative();
                answer.remove("elapsed_microseconds");
                // Through text, as the answer came: numbers parse to the same node types.
                JsonNode expected = ConsoleJson.MAPPER.readTree(perRow(user.getValue(), query).toString());
                // Field by field first, for a readable failure; then the whole answer (no field more, none less).
                for (String field : expected.propertyNames()) {
                    assertThat(answer.get(field)).as(user.getKey() + " " + query + ": " + field).isEqualTo(expected.get(field));
                }
                assertThat(answer).as(user.getKey() + " " + query).isEqualTo(expected);
                totals.merge(user.getKey(), answer.get("total").longValue(), Long::sum);
            }
        }
        // The data set exercises what it should: the administrator sees the most, carol less than alice, bob only the public collection.
        assertThat(totals.get("admin")).isGreaterThan(totals.get("alice"));
        assertThat(totals.get("alice")).isGreaterThan(totals.get("carol"));
        assertThat(totals.get("carol")).isPositive();
        assertThat(totals.get("bob")).isPositive().isLessThan(totals.get("carol"));
    }

    // --- the per-row computation the database's counts replaced (DetectionApi before SightingQueries) ---

    private record Row(String id, String collectionId, String sightedId, String partner, Instant time, long count) {}

    private ObjectNode perRow(AuthenticatedUser user, String query)
    {
        Map<String, String> parameters = new HashMap<>();
        if (!query.isEmpty()) {
            for (String pair : query.substring(1).split("&")) {
                String[] parts = pair.split("=", 2);
                parameters.put(parts[0], URLDecoder.decode(parts[1], StandardCharsets.UTF_8));
            }
        }
        DetectionApi.Bucket requested = DetectionApi.Bucket.valueOf(parameters.getOrDefault("bucket", "hour").toUpperCase(Locale.ROOT));
        Optional<Instant> from = Optional.ofNullable(parameters.get("from")).map(Instant::parse);
        Optional<Instant> to = Optional.ofNullable(parameters.get("to")).map(Instant::parse);
        SearchIndex index = node.console.searchIndex();
        MarkingAccess access = new MarkingAccess(index, ConsoleNode.CONFIG);
        List<String> readable = node.store.listCollections().stream().map(CollectionInfo::id).filter(user::canRead).toList();
        List<Row> rows = new ArrayList<>();
        Map<String, String> creators = new HashMap<>();
        for (String collectionId : readable) {
            for (Map.Entry<IndexEntry, SearchIndex.SightingFacts> found : index.sightings(collectionId)) {
                IndexEntry entry = found.getKey();
                SearchIndex.SightingFacts facts = found.getValue();
                if (!access.permits(user, entry, readable) || from.map(start -> facts.time().isBefore(start)).orElse(false) || to.map(end -> !facts.time().isBefore(end)).orElse(false)) {
                    continue;
                }
                rows.add(new Row(entry.id(), collectionId, facts.sightedId(), partner(collectionId, entry, readable, user, creators, access), facts.time(), facts.count()));
            }
        }
        ObjectNode body = ConsoleJson.MAPPER.createObjectNode();
        body.put("total", rows.size());
        body.put("time_property", "first_seen, else created");
        Map<String, long[]> perSighted = new TreeMap<>();
        Map<String, Instant> last = new TreeMap<>();
        for (Row row : rows) {
            long[] count = perSighted.computeIfAbsent(row.sightedId(), key -> new long[2]);
            count[0]++;
            count[1] += row.count();
            last.merge(row.sightedId(), row.time(), (first, second) -> first.isAfter(second) ? first : second);
        }
        ArrayNode sighted = body.putArray("per_sighted");
        perSighted.entrySet().stream()
                .sorted(Comparator.comparing((Map.Entry<String, long[]> entry) -> entry.getValue()[0]).reversed().thenComparing(Map.Entry::getKey))
                .limit(DetectionApi.MAXIMUM_SIGHTED)
                .forEach(entry -> {
                    ObjectNode node = sighted.addObject();
                    node.put("id", entry.getKey());
                    node.put("type", entry.getKey().substring(0, entry.getKey().indexOf("--")));
                    node.put("name", name(entry.getKey(), readable, user, access));
                    node.put("sightings", entry.getValue()[0]);
                    node.put("count", entry.getValue()[1]);
                    node.put("last", Timestamps.format(last.get(entry.getKey())));
                });
        body.put("sighted_objects", perSighted.size());
        Map<String, long[]> perPartner = new TreeMap<>();
        for (Row row : rows) {
            long[] count = perPartner.computeIfAbsent(row.partner(), key -> new long[2]);
            count[0]++;
            count[1] += row.count();
        }
        ArrayNode partners = body.putArray("per_partner");
        perPartner.entrySet().stream()
                .sorted(Comparator.comparing((Map.Entry<String, long[]> entry) -> entry.getValue()[0]).reversed().thenComparing(Map.Entry::getKey))
                .forEach(entry -> partners.addObject().put("partner", entry.getKey()).put("sightings", entry.getValue()[0]).put("count", entry.getValue()[1]));
        chart(body, rows, requested, from, to);
        ArrayNode recent = body.putArray("recent");
        rows.stream().sorted(Comparator.comparing(Row::time).reversed().thenComparing(Row::id)).limit(DetectionApi.RECENT).forEach(row -> {
            ObjectNode node = recent.addObject();
            node.put("id", row.id());
            node.put("collection", row.collectionId());
            node.put("sighted_id", row.sightedId());
            node.put("sighted_name", name(row.sightedId(), readable, user, access));
            node.put("partner", row.partner());
            node.put("time", Timestamps.format(row.time()));
            node.put("count", row.count());
        });
        return body;
    }

    private String partner(String collectionId, IndexEntry sighting, List<String> readable, AuthenticatedUser user, Map<String, String> creators, MarkingAccess access)
    {
        if (collectionId.equals(INBOX)) {
            List<ReceivedObject> provenance = node.exchange.provenance(sighting.id());
            if (!provenance.isEmpty()) {
                String partnerId = provenance.get(0).partnerId();
                return node.registry.partner(partnerId).map(found -> found.name() + " (" + partnerId + ")").orElse(partnerId);
            }
        }
        if (sighting.createdByRef().isEmpty()) {
            return DetectionApi.THIS_NODE;
        }
        return creators.computeIfAbsent(sighting.createdByRef().get(), identity -> {
            Optional<Partner> partner = node.registry.partnerByIdentity(identity);
            return partner.map(found -> found.name() + " (" + found.id() + ")").orElseGet(() -> name(identity, readable, user, access));
        });
    }

    private static void chart(ObjectNode body, List<Row> rows, DetectionApi.Bucket requested, Optional<Instant> from, Optional<Instant> to)
    {
        ArrayNode buckets = ConsoleJson.MAPPER.createArrayNode();
        DetectionApi.Bucket bucket = requested;
        if (!rows.isEmpty() || (from.isPresent() && to.isPresent())) {
            Instant first = from.orElseGet(() -> rows.stream().map(Row::time).min(Comparator.naturalOrder()).orElseThrow());
            Instant last = to.orElseGet(() -> rows.stream().map(Row::time).max(Comparator.naturalOrder()).orElseThrow().plusMillis(1));
            Duration length = length(bucket);
            while (bucket != DetectionApi.Bucket.DAY && Duration.between(bucket.start(first), last).dividedBy(length) >= DetectionApi.MAXIMUM_BUCKETS) {
                bucket = DetectionApi.Bucket.values()[bucket.ordinal() + 1];
                length = length(bucket);
            }
            Map<Instant, Long> counts = new TreeMap<>();
            for (Row row : rows) {
                counts.merge(bucket.start(row.time()), 1L, Long::sum);
            }
            Instant start = bucket.start(first);
            int emitted = 0;
            while (start.isBefore(last) && emitted < DetectionApi.MAXIMUM_BUCKETS) {
                buckets.addObject().put("start", Timestamps.format(start)).put("sightings", counts.getOrDefault(start, 0L));
                start = start.plus(length);
                emitted++;
            }
        }
        body.put("bucket", bucket.name().toLowerCase(Locale.ROOT));
        body.set("buckets", buckets);
    }

    private static Duration length(DetectionApi.Bucket bucket)
    {
        return switch (bucket) {
            case MINUTE -> Duration.ofMinutes(1);
            case HOUR -> Duration.ofHours(1);
            case DAY -> Duration.ofDays(1);
        };
    }

    private String name(String id, List<String> readable, AuthenticatedUser user, MarkingAccess access)
    {
        return node.console.searchIndex().findAny(id, readable).filter(entry -> access.permits(user, entry, readable)).map(IndexEntry::name).orElse(id);
    }

    // --- data ---

    private static String sighting(String sightedId, Optional<Instant> firstSeen, Optional<Integer> count, String createdBy, String markings)
    {
        return "{\"type\":\"sighting\",\"spec_version\":\"2.1\",\"id\":\"" + ConsoleNode.id("sighting") + "\",\"created\":\"2026-02-28T00:00:00.000Z\","
                + "\"modified\":\"2026-02-28T00:00:00.000Z\",\"sighting_of_ref\":\"" + sightedId + "\""
                + firstSeen.map(time -> ",\"first_seen\":\"" + Timestamps.format(time) + "\"").orElse("")
                + count.map(value -> ",\"count\":" + value).orElse("")
                + (createdBy == null ? "" : ",\"created_by_ref\":\"" + createdBy + "\"")
                + markings(markings) + "}";
    }

    private static String markings(String quoted)
    {
        return quoted.isEmpty() ? "" : ",\"object_marking_refs\":[" + quoted + "]";
    }

    private static String q(String text)
    {
        return "\"" + text + "\"";
    }

    private static String encode(String value)
    {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
