package org.vigie.console;

import org.junit.jupiter.api.Test;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.stix.markings.TlpMarkings;
import org.vigie.taxii.auth.AuthenticatedUser;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConsoleConfigTest
{
    @Test
    void defaults()
    {
        ConsoleConfig config = ConsoleConfig.defaults();
        // TLP:RED only to users cleared by name; every handling code below it.
        assertThat(config.defaultClearance()).isEqualTo(Clearance.upTo(TlpMarkings.Tlp.AMBER_STRICT));
        assertThat(config.userClearances()).isEmpty();
        assertThat(config.clearanceOf(user("anyone", false))).isEqualTo(Clearance.upTo(TlpMarkings.Tlp.AMBER_STRICT));
        assertThat(config.clearanceOf(user("root", true))).isEqualTo(Clearance.unrestricted());
        assertThat(config.ledgerPollInterval()).isEqualTo(java.time.Duration.ofSeconds(2));
        assertThat(ConsoleConfig.fromProperties(config.toProperties())).isEqualTo(config);
    }

    @Test
    void fullMapping()
    {
        Map<String, String> properties = new TreeMap<>();
        properties.put("console.clearance.default.tlp", "green");
        properties.put("console.clearance.default.handling", "H0, h1");
        properties.put("console.clearance.user.alice.tlp", "RED");
        properties.put("console.clearance.user.alice.handling", "all");
        properties.put("console.clearance.user.carol.handling", "none");
        properties.put("console.feed.ledger-poll-milliseconds", "3600000");
        properties.put("http.port", "8443");

        ConsoleConfig config = ConsoleConfig.fromProperties(properties);

        assertThat(config.defaultClearance()).isEqualTo(new Clearance(TlpMarkings.Tlp.GREEN, false, List.of("H0", "H1")));
        assertThat(config.clearanceOf(user("alice", false))).isEqualTo(Clearance.unrestricted());
        // carol sets only her handling codes: the default TLP level applies.
        assertThat(config.clearanceOf(user("carol", false))).isEqualTo(new Clearance(TlpMarkings.Tlp.GREEN, false, List.of()));
        assertThat(config.clearanceOf(user("dave", false))).isEqualTo(config.defaultClearance());
        assertThat(config.ledgerPollInterval()).isEqualTo(java.time.Duration.ofHours(1));
        assertThat(ConsoleConfig.fromProperties(config.toProperties())).isEqualTo(config);
    }

    @Test
    void clearancesCompareTlpLevelsAndHandlingCodes()
    {
        Clearance green = new Clearance(TlpMarkings.Tlp.GREEN, false, List.of("H1"));
        assertThat(green.permits(java.util.Optional.of(TlpMarkings.Tlp.CLEAR), List.of())).isTrue();
        assertThat(green.permits(java.util.Optional.empty(), List.of("H1"))).isTrue();
        assertThat(green.permits(java.util.Optional.of(TlpMarkings.Tlp.AMBER), List.of())).isFalse();
        assertThat(green.permits(java.util.Optional.of(TlpMarkings.Tlp.GREEN), List.of("H2"))).isFalse();
        assertThat(Clearance.upTo(TlpMarkings.Tlp.AMBER_STRICT).permits(java.util.Optional.of(TlpMarkings.Tlp.RED), List.of())).isFalse();
    }

    @Test
    void badValuesNameTheKey()
    {
        assertInvalid(Map.of("console.clearance.default.tlp", "purple"), "console.clearance.default.tlp", "not a TLP 2.0 level");
        assertInvalid(Map.of("console.clearance.user.bob.handling", "H1,H9"), "console.clearance.user.bob.handling", "'H9' is none of them");
        assertInvalid(Map.of("console.theme", "dark"), "console.theme", "is not a console key");
        assertInvalid(Map.of("console.clearance.user.bad name.tlp", "red"), "console.clearance.user.bad name.tlp", "is not a console key");
        assertInvalid(Map.of("console.feed.ledger-poll-milliseconds", "5"), "console.feed.ledger-poll-milliseconds", "is outside 10..86400000");
        assertInvalid(Map.of("console.feed.ledger-poll-milliseconds", "soon"), "console.feed.ledger-poll-milliseconds", "is not a whole number");
    }

    private static void assertInvalid(Map<String, String> properties, String key, String problem)
    {
        assertThatThrownBy(() -> ConsoleConfig.fromProperties(properties))
                .isInstanceOfSatisfying(VigieException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
                .hasMessageContaining("configuration key '" + key + "'")
                .hasMessageContaining(problem);
    }

    private static AuthenticatedUser user(String name, boolean administrator)
    {
        return new AuthenticatedUser(name, List.of(), List.of(), administrator, AuthenticatedUser.Method.BASIC);
    }
}
