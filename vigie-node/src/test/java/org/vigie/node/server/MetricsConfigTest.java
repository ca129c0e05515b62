package org.vigie.node.server;

import org.junit.jupiter.api.Test;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MetricsConfigTest
{
    @Test
    void defaults()
    {
        assertThat(MetricsConfig.fromProperties(Map.of("store.url", "jdbc:sqlite:x.db"))).isEqualTo(MetricsConfig.defaults());
        assertThat(MetricsConfig.defaults().eventLogConsumers()).isEmpty();
    }

    @Test
    void fullMapping()
    {
        assertThat(MetricsConfig.fromProperties(Map.of("metrics.event-log-consumers", " relay, console-feed ")))
                .isEqualTo(new MetricsConfig(List.of("relay", "console-feed")));
    }

    @Test
    void badValuesAndKeysAreNamed()
    {
        assertThatThrownBy(() -> MetricsConfig.fromProperties(Map.of("metrics.consumers", "relay")))
                .isInstanceOfSatisfying(VigieException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
                .hasMessageStartingWith("configuration key 'metrics.consumers': unknown key");
        assertThatThrownBy(() -> MetricsConfig.fromProperties(Map.of("metrics.event-log-consumers", "relay,,feed")))
                .isInstanceOfSatisfying(VigieException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
                .hasMessageContaining("configuration key 'metrics.event-log-consumers' = 'relay,,feed': has an empty consumer name");
    }
}
