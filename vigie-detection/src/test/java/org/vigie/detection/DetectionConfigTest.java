package org.vigie.detection;

import org.junit.jupiter.api.Test;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DetectionConfigTest
{
    @Test
    void defaults()
    {
        DetectionConfig config = DetectionConfig.defaults();
        assertThat(config.enabled()).isFalse();
        assertThat(config.indicatorCollections()).containsExactly("*");
        assertThat(config.allCollections()).isTrue();
        assertThat(config.sightingsCollection()).isEqualTo("detection-sightings");
        assertThat(config.refreshInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.createdByRef()).isEmpty();
        assertThat(config.ingest()).isEqualTo(DetectionConfig.Ingest.LOCAL);
        assertThat(config.isIndicatorCollection("anything")).isTrue();
        assertThat(config.isIndicatorCollection("detection-sightings")).isFalse();
    }

    @Test
    void fullMapping()
    {
        DetectionConfig config = DetectionConfig.fromProperties(Map.of(
                "detection.enabled", "true",
                "detection.indicator-collections", "feeds-a, feeds-b",
                "detection.sightings-collection", "alerts",
                "detection.refresh-interval", "250ms",
                "detection.created-by-ref", "identity--0f7e6ad4-2b8c-4e2b-9a53-4f3a1b2c3d4e",
                "detection.ingest", "kafka",
                "http.port", "0"));
        assertThat(config).isEqualTo(new DetectionConfig(true, List.of("feeds-a", "feeds-b"), "alerts", Duration.ofMillis(250),
                Optional.of("identity--0f7e6ad4-2b8c-4e2b-9a53-4f3a1b2c3d4e"), DetectionConfig.Ingest.KAFKA));
        assertThat(DetectionConfig.fromProperties(Map.of("detection.ingest", " local ")).ingest()).isEqualTo(DetectionConfig.Ingest.LOCAL);
        // The copies keep every other value.
        assertThat(config.withSightingsCollection("elsewhere").ingest()).isEqualTo(DetectionConfig.Ingest.KAFKA);
        assertThat(config.withIndicatorCollections(List.of("feeds-c")).ingest()).isEqualTo(DetectionConfig.Ingest.KAFKA);
        assertThat(config.isIndicatorCollection("feeds-b")).isTrue();
        assertThat(config.isIndicatorCollection("feeds-c")).isFalse();
        assertThat(DetectionConfig.fromProperties(Map.of("detection.refresh-interval", "PT2M")).refreshInterval()).isEqualTo(Duration.ofMinutes(2));
        assertThat(DetectionConfig.fromProperties(Map.of("detection.refresh-interval", "3s")).refreshInterval()).isEqualTo(Duration.ofSeconds(3));
        assertThat(DetectionConfig.fromProperties(Map.of("detection.refresh-interval", "1h")).refreshInterval()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void badValuesNameTheirKey()
    {
        assertInvalid(Map.of("detection.enabeld", "true"), "'detection.enabeld': unknown key");
        assertInvalid(Map.of("detection.enabled", "yes"), "'detection.enabled' = 'yes': must be true or false");
        assertInvalid(Map.of("detection.refresh-interval", "5 seconds"), "'detection.refresh-interval' = '5 seconds': is not a duration");
        assertInvalid(Map.of("detection.refresh-interval", "0s"), "'detection.refresh-interval' = 'PT0S': must be positive");
        assertInvalid(Map.of("detection.indicator-collections", "a,,b"), "'detection.indicator-collections' = 'a,,b': has an empty entry");
        assertInvalid(Map.of("detection.indicator-collections", "a,*"), "'detection.indicator-collections' = 'a,*'");
        assertInvalid(Map.of("detection.indicator-collections", "a,a"), "names a collection twice");
        assertInvalid(Map.of("detection.indicator-collections", "a/b"), "'detection.indicator-collections' = 'a/b'");
        assertInvalid(Map.of("detection.indicator-collections", "a", "detection.sightings-collection", "a"), "'detection.sightings-collection' = 'a': must not also be one of");
        assertInvalid(Map.of("detection.sightings-collection", " "), "'detection.sightings-collection' = ' ': must not be blank");
        assertInvalid(Map.of("detection.created-by-ref", "organization--x"), "'detection.created-by-ref' = 'organization--x'");
        assertInvalid(Map.of("detection.ingest", "KAFKA"), "'detection.ingest' = 'KAFKA': must be local (match in this node) or kafka");
        assertInvalid(Map.of("detection.ingest", ""), "'detection.ingest' = '': must not be blank");
    }

    private static void assertInvalid(Map<String, String> properties, String message)
    {
        assertThatThrownBy(() -> DetectionConfig.fromProperties(properties))
                .isInstanceOfSatisfying(VigieException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
                .hasMessageContaining(message);
    }
}
