package org.vigie.node.exchange;

import org.junit.jupiter.api.Test;
import org.vigie.error.VigieException;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExchangeSettingsTest
{
    @Test
    void defaults()
    {
        ExchangeSettings settings = ExchangeSettings.fromProperties(Map.of());
        assertThat(settings.deliveryInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(settings.partnerUsers()).isEmpty();
    }

    @Test
    void fullMapping()
    {
        ExchangeSettings settings = ExchangeSettings.fromProperties(Map.of(
                "exchange.delivery.interval-milliseconds", "250",
                "exchange.partner-users", " analyst:bsi, desk.two:anssi-fr ",
                "http.port", "0"));
        assertThat(settings.deliveryInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(settings.partnerUsers()).containsExactly(Map.entry("analyst", "bsi"), Map.entry("desk.two", "anssi-fr"));
    }

    @Test
    void badPartnerUsersNameTheKey()
    {
        assertThatThrownBy(() -> ExchangeSettings.fromProperties(Map.of("exchange.partner-users", "analyst")))
                .isInstanceOf(VigieException.class)
                .hasMessageContaining("exchange.partner-users")
                .hasMessageContaining("'analyst' is not of the form user:partner-id");
        assertThatThrownBy(() -> ExchangeSettings.fromProperties(Map.of("exchange.partner-users", "analyst:bsi,analyst:anssi")))
                .hasMessageContaining("exchange.partner-users")
                .hasMessageContaining("user 'analyst' is linked twice");
        assertThatThrownBy(() -> ExchangeSettings.fromProperties(Map.of("exchange.partner-users", "analyst:b s i")))
                .hasMessageContaining("is not a partner id");
    }
}
