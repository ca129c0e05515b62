package org.vigie.exchange.reads;

import org.vigie.exchange.audit.AuditLedger;
import org.vigie.exchange.database.ExchangeDatabase;
import org.vigie.exchange.marking.MarkingResolver;
import org.vigie.exchange.partner.Partner;
import org.vigie.exchange.partner.PartnerRegistry;
import org.vigie.exchange.policy.ReleaseDecider;
import org.vigie.store.ObjectStore;
import org.vigie.taxii.server.PartnerReads;
import org.vigie.taxii.server.PartnerView;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * Partner reads under the node's current release policy. A partner is recognised by the SHA-256
 * fingerprint of its client certificate (the one pinned in the registry), or a node user is linked to
 * it by {@code userPartners}. Reads are audited (kind PARTNER_READ; an export: RELEASE) in the
 * exchange database, one entry per request.
 */
public final class PolicyPartnerReads
        implements PartnerReads
{
    private final ObjectStore store;
    private final PartnerRegistry registry;
    private final Supplier<ReleaseDecider> decider;
    private final MarkingResolver resolver;
    private final AuditLedger ledger;
    private final ExchangeDatabase database;
    private final InstantSource clock;
    private final Map<String, String> userPartners;

    private PolicyPartnerReads(ObjectStore store, PartnerRegistry registry, Supplier<ReleaseDecider> decider, MarkingResolver resolver, AuditLedger ledger,
            ExchangeDatabase database, InstantSource clock, Map<String, String> userPartners)
    {
        this.store = requireNonNull(store, "store is null");
        this.registry = requireNonNull(registry, "registry is null");
        this.decider = requireNonNull(decider, "decider is null");
        this.resolver = requireNonNull(resolver, "resolver is null");
        this.ledger = requireNonNull(ledger, "ledger is null");
        this.database = requireNonNull(database, "database is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.userPartners = new TreeMap<>(requireNonNull(userPartners, "userPartners is null"));
    }

    /**
     * @param decider supplies the policy in effect (read per request, so a policy change applies at once)
     * @param ledger the exchange's ledger, stored in {@code database}
     * @param userPartners node user name to the partner id it reads as
     */
    public static PolicyPartnerReads create(ObjectStore store, PartnerRegistry registry, Supplier<ReleaseDecider> decider, MarkingResolver resolver, AuditLedger ledger,
            ExchangeDatabase database, InstantSource clock, Map<String, String> userPartners)
    {
        return new PolicyPartnerReads(store, registry, decider, resolver, ledger, database, clock, userPartners);
    }

    @Override
    public Optional<String> partnerOfCertificate(X509Certificate certificate)
    {
        return registry.partnerByCertificate(fingerprint(certificate)).map(Partner::id);
    }

    @Override
    public Optional<String> partnerOfUser(String userName)
    {
        return Optional.ofNullable(userPartners.get(userName));
    }

    @Override
    public PartnerView open(String partnerId, String actor)
    {
        // A partner removed from the registry (or a user linked to an unknown id) sees nothing.
        Optional<Partner> partner = registry.partner(partnerId);
        return new PolicyPartnerView(partnerId, actor, partner, store, registry, decider.get(), resolver, ledger, database, clock.instant());
    }

    private static String fingerprint(X509Certificate certificate)
    {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        }
        catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot fingerprint certificate " + certificate.getSubjectX500Principal(), e);
        }
    }
}
