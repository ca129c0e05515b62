package org.vigie.exchange.partner;

import org.junit.jupiter.api.Test;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.exchange.testing.TestPartners;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The registry contract; {@link JdbcPartnerRegistryTest} runs it on SQLite. */
class PartnerRegistryTest
{
    protected PartnerRegistry newRegistry()
    {
        return PartnerRegistry.inMemory();
    }

    @Test
    void keepsPartnersAndGroupsSortedAndFindsByIdentity()
    {
        PartnerRegistry registry = newRegistry();
        Partner charlie = TestPartners.partner("charlie", TestPartners.newKey("c"));
        Partner alpha = TestPartners.partner("alpha", TestPartners.newKey("a"));
        registry.putPartner(charlie);
        registry.putPartner(alpha);
        registry.putGroup(new TrustGroup("forum", "Forum", TrustGroupKind.MULTILATERAL, List.of("charlie", "alpha")));
        registry.putGroup(new TrustGroup("alpha-only", "Alpha", TrustGroupKind.BILATERAL, List.of("alpha")));

        assertThat(registry.partners()).containsExactly(alpha, charlie);
        assertThat(registry.partnerByIdentity(charlie.identityId())).contains(charlie);
        assertThat(registry.groupIdsOf("alpha")).containsExactly("alpha-only", "forum");
        assertThat(registry.members("forum")).containsExactly(alpha, charlie);

        registry.removePartner("alpha");
        assertThat(registry.group("alpha-only")).isEmpty();
        assertThat(registry.group("forum").orElseThrow().memberPartnerIds()).containsExactly("charlie");
    }

    @Test
    void neverKeepsAPrivateKeyAndValidatesInput()
    {
        Partner partner = TestPartners.partner("alpha", TestPartners.newKey("a"));
        Partner withPrivate = new Partner("beta", "Beta", TestPartners.identityOf("beta"), partner.endpoint(),
                "AB:".repeat(31) + "AB", TestPartners.newKey("b"));

        assertThat(withPrivate.signingKey().isPrivate()).isFalse();
        assertThat(withPrivate.certificateSha256()).isEqualTo("ab".repeat(32));
        assertThatThrownBy(() -> new Partner("bad id!", "x", partner.identityId(), partner.endpoint(), partner.certificateSha256(), partner.signingKey()))
                .isInstanceOf(VigieException.class);
        assertThatThrownBy(() -> new TrustGroup("pair", "Pair", TrustGroupKind.BILATERAL, List.of("a", "b")))
                .hasMessageContaining("exactly one partner");
        PartnerRegistry registry = newRegistry();
        assertThatThrownBy(() -> registry.putGroup(new TrustGroup("g", "G", TrustGroupKind.MULTILATERAL, List.of("nobody"))))
                .isInstanceOfSatisfying(VigieException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.PARTNER_NOT_FOUND));
        registry.putPartner(partner);
        assertThatThrownBy(() -> registry.putPartner(new Partner("alias", "Alias", partner.identityId(), partner.endpoint(), partner.certificateSha256(), partner.signingKey())))
                .hasMessageContaining("already belongs to partner alpha");
    }
}
