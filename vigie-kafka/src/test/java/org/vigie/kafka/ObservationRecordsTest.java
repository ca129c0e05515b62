package org.vigie.kafka;

import org.junit.jupiter.api.Test;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.pattern.Observation;
import org.vigie.pattern.match.BulkMatcher;
import org.vigie.pattern.match.MatcherOptions;
import org.vigie.stix.json.StixJson;
import tools.jackson.databind.JsonNode;

import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The observation record format: an observed-data travels with what it reaches, and only that. */
public class ObservationRecordsTest
{
    private static final String OBSERVED_DATA = "observed-data--6a6f1d5e-2c3b-4a59-8e7f-0a1b2c3d4e5f";
    private static final String TRAFFIC = "network-traffic--7b7a2e6f-3d4c-4b6a-9f80-1b2c3d4e5f60";
    private static final String SOURCE = "ipv4-addr--8c8b3f70-4e5d-4c7b-8091-2c3d4e5f6071";
    private static final String DESTINATION = "ipv4-addr--9d9c4081-5f6e-4d8c-91a2-3d4e5f607182";
    private static final String UNRELATED = "domain-name--ae0d5192-6071-4e9d-a2b3-4e5f60718293";

    @Test
    public void observedDataTravelsWithTheObjectsItReachesThroughReferences()
    {
        List<JsonNode> objects = List.of(
                StixJson.parse("{\"type\":\"observed-data\",\"spec_version\":\"2.1\",\"id\":\"" + OBSERVED_DATA + "\",\"created\":\"2026-05-31T12:00:00.000Z\",\"modified\":\"2026-05-31T12:00:00.000Z\""
                        + ",\"first_observed\":\"2026-05-31T12:00:00Z\",\"last_observed\":\"2026-05-31T12:00:00Z\",\"number_observed\":1,\"object_refs\":[\"" + TRAFFIC + "\"]}"),
                StixJson.parse("{\"type\":\"network-traffic\",\"spec_version\":\"2.1\",\"id\":\"" + TRAFFIC + "\",\"src_ref\":\"" + SOURCE + "\",\"dst_ref\":\"" + DESTINATION + "\",\"protocols\":[\"tcp\"]}"),
                StixJson.parse("{\"type\":\"ipv4-addr\",\"spec_version\":\"2.1\",\"id\":\"" + SOURCE + "\",\"value\":\"198.51.100.7\"}"),
                StixJson.parse("{\"type\":\"ipv4-addr\",\"spec_version\":\"2.1\",\"id\":\"" + DESTINATION + "\",\"value\":\"203.0.113.9\"}"),
                StixJson.parse("{\"type\":\"domain-name\",\"spec_version\":\"2.1\",\"id\":\"" + UNRELATED + "\",\"value\":\"example.org\"}"));
        Map<String, JsonNode> byId = new HashMap<>();
        objects.forEach(object -> byId.put(object.get("id").stringValue(), object));

        List<JsonNode> reachable = ObservationRecords.reachable(objects.get(0), byId);
        assertThat(reachable).extracting(object -> object.get("id").stringValue()).containsExactly(TRAFFIC, SOURCE, DESTINATION);

        String value = ObservationRecords.encode(objects.get(0), reachable);
        Observation observation = ObservationRecords.decode("observations", 3, 42, value);
        assertThat(observation.id()).isEqualTo(OBSERVED_DATA);
        BulkMatcher matcher = BulkMatcher.create(InstantSource.fixed(MatchingData.NOW), MatcherOptions.DEFAULT);
        matcher.upsert(StixJson.parse("{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"id\":\"indicator--bf1e62a3-7182-4fae-b3c4-5f60718293a4\",\"created\":\"2026-01-01T00:00:00.000Z\""
                + ",\"modified\":\"2026-01-01T00:00:00.000Z\",\"pattern\":\"[network-traffic:dst_ref.value = '203.0.113.9']\",\"pattern_type\":\"stix\",\"valid_from\":\"2026-01-01T00:00:00Z\"}"));
        assertThat(matcher.match(observation)).hasSize(1);
    }

    @Test
    public void unreadableRecordsAreNamedByTopicPartitionAndOffset()
    {
        assertThatThrownBy(() -> ObservationRecords.decode("vigie.observations", 2, 17, "{not json"))
                .isInstanceOfSatisfying(VigieException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_JSON))
                .hasMessageStartingWith("kafka topic vigie.observations partition 2 offset 17: not an observation record");
        assertThatThrownBy(() -> ObservationRecords.decode("vigie.observations", 0, 5, "{}"))
                .isInstanceOfSatisfying(VigieException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_STIX))
                .hasMessageContaining("expected a non-empty JSON array");
        assertThatThrownBy(() -> ObservationRecords.encode(StixJson.parse("{\"type\":\"indicator\",\"id\":\"indicator--x\"}"), List.of()))
                .isInstanceOfSatisfying(VigieException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_STIX))
                .hasMessageContaining("expected an observed-data object");
    }
}
