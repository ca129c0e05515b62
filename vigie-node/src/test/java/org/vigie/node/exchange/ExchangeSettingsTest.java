package org.vigie.node.exchange;

import org.junit.jupiter.api.Test;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.exchange.service.ExchangeConfig;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The node's own exchange keys: delivery interval, delivery lease, replica name, partner users and sightings back. */
class ExchangeSettingsTest
{
    @Test
    void defaults()
    {
        ExchangeSettings settings = ExchangeSettings.fromProperties(Map.of("store.url", "jdbc:sqlite:x.db"));
        assertThat(settings.config()).isEqualTo(ExchangeConfig.defaults());
        assertThat(settings.deliveryInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(settings.leaseDuration()).isEqualTo(Duration.ofSeconds(60));
        assertThat(settings.partnerUsers()).isEmpty();
        assertThat(settings.sightingsBackEnabled()).isTrue();
        // Unique per process: host, process id and a random suffix.
        assertThat(settings.replicaName()).contains(":" + ProcessHandle.current().pid() + ":");
        assertThat(ExchangeSettings.fromProperties(Map.of()).replicaName()).isNotEqualTo(settings.replicaName());
    }

    @Test
    void fullMapping()
    {
        ExchangeSettings settings = ExchangeSettings.fromProperties(Map.of(
                "exchange.delivery.interval-milliseconds", "250",
                "exchange.delivery.lease-milliseconds", " 5000 ",
                "exchange.delivery.connect-timeout-milliseconds", "1000",
                "exchange.delivery.request-timeout-milliseconds", "3000",
                "exchange.replica-name", "replica-b",
                "exchange.partner-users", " analyst:bsi, desk.two:anssi-fr ",
                "exchange.sightings-back.enabled", "false",
                "http.port", "0"));
        assertThat(settings.deliveryInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(settings.leaseDuration()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.replicaName()).isEqualTo("replica-b");
        assertThat(settings.partnerUsers()).containsExactly(Map.entry("analyst", "bsi"), Map.entry("desk.two", "anssi-fr"));
        assertThat(settings.sightingsBackEnabled()).isFalse();
    }

    @Test
    void badValuesAreNamed()
    {
        assertInvalid(Map.of("exchange.delivery.lease-milliseconds", "long"), "configuration key 'exchange.delivery.lease-milliseconds' = 'long': is not a whole number");
        assertInvalid(Map.of("exchange.delivery.lease-milliseconds", "100"), "configuration key 'exchange.delivery.lease-milliseconds' = '100': is outside 500..3600000");
        assertInvalid(Map.of("exchange.sightings-back.enabled", "yes"), "configuration key 'exchange.sightings-back.enabled' = 'yes': must be true or false");
        assertInvalid(Map.of("exchange.replica-name", " "), "configuration key 'exchange.replica-name' = '': must have 1 to 200 characters");
        assertInvalid(Map.of("exchange.delivery.lease-milliseconds", "30000"), "configuration key 'exchange.delivery.lease-milliseconds' = '30000': must exceed the longest push, "
                + "exchange.delivery.connect-timeout-milliseconds plus exchange.delivery.request-timeout-milliseconds (35000), or another replica could repeat a slow push");
    }

    @Test
    void badPartnerUsersNameTheKey()
    {
        assertInvalid(Map.of("exchange.partner-users", "analyst"), "configuration key 'exchange.partner-users' = 'analyst': 'analyst' is not of the form user:partner-id");
        assertInvalid(Map.of("exchange.partner-users", "analyst:bsi,analyst:anssi"), "configuration key 'exchange.partner-users' = 'analyst:bsi,analyst:anssi': user 'analyst' is linked twice");
        assertThatThrownBy(() -> ExchangeSettings.fromProperties(Map.of("exchange.partner-users", "analyst:b s i")))
                .hasMessageContaining("exchange.partner-users")
                .hasMessageContaining("is not a partner id");
    }

    private static void assertInvalid(Map<String, String> properties, String message)
    {
        assertThatThrownBy(() -> ExchangeSettings.fromProperties(properties))
                .isInstanceOfSatisfying(VigieException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
                .hasMessage(message);
    }
}
