package org.vigie.kafka;

import org.junit.jupiter.api.Test;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

public class MatchWorkerConfigTest
{
    @Test
    public void defaults()
    {
        MatchWorkerConfig config = MatchWorkerConfig.fromProperties(Map.of("match-worker.indicator-collection", "indicators", "kafka.partitions", "3"));
        assertThat(config).isEqualTo(MatchWorkerConfig.defaults("indicators"));
        assertThat(config).isEqualTo(new MatchWorkerConfig("vigie-match-workers", "indicators", 500, Duration.ofSeconds(1), Duration.ofSeconds(45), Optional.empty(), 0, "127.0.0.1"));
    }

    @Test
    public void fullMapping()
    {
        MatchWorkerConfig config = MatchWorkerConfig.fromProperties(Map.of(
                "match-worker.group-id", "node-a.matchers",
                "match-worker.indicator-collection", " 1f6a3d2e-4c5b-4a69-8e7f-0a1b2c3d4e5f ",
                "match-worker.batch-size", " 2000 ",
                "match-worker.indicator-refresh-ms", "250",
                "match-worker.session-timeout-ms", "10000",
                "match-worker.created-by-ref", "identity--7c1b9a2e-3f4d-4e5a-8b6c-0d1e2f3a4b5c",
                "match-worker.metrics-port", "9464",
                "match-worker.metrics-bind", " 0.0.0.0 "));
        assertThat(config).isEqualTo(new MatchWorkerConfig("node-a.matchers", "1f6a3d2e-4c5b-4a69-8e7f-0a1b2c3d4e5f", 2000, Duration.ofMillis(250), Duration.ofSeconds(10),
                Optional.of("identity--7c1b9a2e-3f4d-4e5a-8b6c-0d1e2f3a4b5c"), 9464, "0.0.0.0"));
    }

    @Test
    public void badValuesAndKeysAreNamed()
    {
        assertInvalid(Map.of("match-worker.indicator-collection", "x", "match-worker.batchsize", "5"), "configuration key 'match-worker.batchsize': unknown key");
        assertInvalid(Map.of(), "configuration key 'match-worker.indicator-collection': is required");
        assertInvalid(Map.of("match-worker.indicator-collection", " "), "configuration key 'match-worker.indicator-collection': is required");
        assertInvalid(Map.of("match-worker.indicator-collection", "x", "match-worker.group-id", "a group"), "configuration key 'match-worker.group-id' = 'a group': may hold only");
        assertInvalid(Map.of("match-worker.indicator-collection", "x", "match-worker.batch-size", "many"), "configuration key 'match-worker.batch-size' = 'many': is not a whole number");
        assertInvalid(Map.of("match-worker.indicator-collection", "x", "match-worker.batch-size", "0"), "configuration key 'match-worker.batch-size' = '0': is outside 1..100000");
        assertInvalid(Map.of("match-worker.indicator-collection", "x", "match-worker.indicator-refresh-ms", "5"), "configuration key 'match-worker.indicator-refresh-ms' = '5': is outside 10..3600000");
        assertInvalid(Map.of("match-worker.indicator-collection", "x", "match-worker.session-timeout-ms", "1000"), "configuration key 'match-worker.session-timeout-ms' = '1000': is outside 6000..1800000");
        assertInvalid(Map.of("match-worker.indicator-collection", "x", "match-worker.created-by-ref", "identity--nope"), "configuration key 'match-worker.created-by-ref' = 'identity--nope': is not an identity id");
        assertInvalid(Map.of("match-worker.indicator-collection", "x", "match-worker.metrics-port", "70000"), "configuration key 'match-worker.metrics-port' = '70000': is outside 0 (no endpoint)..65535");
        assertInvalid(Map.of("match-worker.indicator-collection", "x", "match-worker.metrics-port", "auto"), "configuration key 'match-worker.metrics-port' = 'auto': is not a whole number");
        assertInvalid(Map.of("match-worker.indicator-collection", "x", "match-worker.metrics-bind", " "), "configuration key 'match-worker.metrics-bind' = '': must not be blank");
    }

    private static void assertInvalid(Map<String, String> properties, String message)
    {
        assertThatThrownBy(() -> MatchWorkerConfig.fromProperties(properties))
                .isInstanceOfSatisfying(VigieException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
                .hasMessageStartingWith(message);
    }
}
