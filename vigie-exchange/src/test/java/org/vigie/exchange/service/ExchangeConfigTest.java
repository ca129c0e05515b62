package org.vigie.exchange.service;

import org.junit.jupiter.api.Test;
import org.vigie.error.VigieException;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExchangeConfigTest
{
    @Test
    void defaults()
    {
        ExchangeConfig config = ExchangeConfig.defaults();

        assertThat(config).isEqualTo(new ExchangeConfig("exchange-inbound", Duration.ofSeconds(1), Duration.ofMinutes(5), 1000, 50, 3, 16,
                Duration.ofSeconds(5), Duration.ofSeconds(30), Optional.empty(), Optional.empty(), false));
    }

    @Test
    void everyKeyIsMapped()
    {
        ExchangeConfig config = ExchangeConfig.fromProperties(Map.ofEntries(
                Map.entry("exchange.inbox.collection", "from-partners"),
                Map.entry("exchange.outbox.retry-initial-milliseconds", "250"),
                Map.entry("exchange.outbox.retry-max-milliseconds", "9000"),
                Map.entry("exchange.outbox.batch-size", "7"),
                Map.entry("exchange.delivery.envelopes-per-request", "3"),
                Map.entry("exchange.delivery.requests-in-flight", "5"),
                Map.entry("exchange.delivery.parallel-partners", "4"),
                Map.entry("exchange.delivery.connect-timeout-milliseconds", "1500"),
                Map.entry("exchange.delivery.request-timeout-milliseconds", "2500"),
                Map.entry("exchange.tls.keystore", "/etc/vigie/node.p12"),
                Map.entry("exchange.tls.keystore-password", "secret"),
                Map.entry("exchange.follow-new-versions", "true"),
                Map.entry("http.port", "6543")));

        assertThat(config).isEqualTo(new ExchangeConfig("from-partners", Duration.ofMillis(250), Duration.ofMillis(9000), 7, 3, 5, 4,
                Duration.ofMillis(1500), Duration.ofMillis(2500), Optional.of(Path.of("/etc/vigie/node.p12")), Optional.of("secret"), true));
        assertThat(config.toString()).doesNotContain("secret");
    }

    @Test
    void badValuesNameTheirKey()
    {
        assertThatThrownBy(() -> ExchangeConfig.fromProperties(Map.of("exchange.outbox.retry-maximum", "1")))
                .isInstanceOf(VigieException.class).hasMessageContaining("'exchange.outbox.retry-maximum': unknown key");
        assertThatThrownBy(() -> ExchangeConfig.fromProperties(Map.of("exchange.outbox.batch-size", "lots")))
                .hasMessageContaining("'exchange.outbox.batch-size' = 'lots': is not a whole number");
        assertThatThrownBy(() -> ExchangeConfig.fromProperties(Map.of("exchange.outbox.retry-initial-milliseconds", "5000", "exchange.outbox.retry-max-milliseconds", "10")))
                .hasMessageContaining("'exchange.outbox.retry-max-milliseconds'");
        assertThatThrownBy(() -> ExchangeConfig.fromProperties(Map.of("exchange.tls.keystore", "/x.p12")))
                .hasMessageContaining("'exchange.tls.keystore-password'");
        assertThatThrownBy(() -> ExchangeConfig.fromProperties(Map.of("exchange.follow-new-versions", "yes")))
                .hasMessageContaining("'exchange.follow-new-versions' = 'yes': must be true or false");
        assertThatThrownBy(() -> ExchangeConfig.fromProperties(Map.of("exchange.delivery.parallel-partners", "0")))
                .hasMessageContaining("'exchange.delivery.parallel-partners' = '0': is outside 1..1000");
        assertThatThrownBy(() -> ExchangeConfig.fromProperties(Map.of("exchange.delivery.envelopes-per-request", "0")))
                .hasMessageContaining("'exchange.delivery.envelopes-per-request' = '0': must be at least 1");
        assertThatThrownBy(() -> ExchangeConfig.fromProperties(Map.of("exchange.delivery.requests-in-flight", "17")))
                .hasMessageContaining("'exchange.delivery.requests-in-flight' = '17': is outside 1..16");
        assertThatThrownBy(() -> ExchangeConfig.fromProperties(Map.of("exchange.inbox.collection", "no spaces")))
                .hasMessageContaining("'exchange.inbox.collection'");
    }
}
