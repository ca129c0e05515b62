package org.vigie.console;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.exchange.audit.AuditLedger;
import org.vigie.exchange.partner.Partner;
import org.vigie.exchange.partner.PartnerRegistry;
import org.vigie.exchange.service.ExchangeConfig;
import org.vigie.exchange.service.ExchangeService;

import static java.util.Objects.requireNonNull;

/**
 * What the console's Sharing screens need from the node's exchange. In the node, from
 * {@code org.vigie.node.exchange.ExchangeWiring}:
 * {@code new ConsoleExchange(wiring.service(), wiring.registry(), wiring.ledger(), wiring::deliverSoon, wiring.inboxCollection(), wiring.identityId())}.
 *
 * @param registry the registry the service was created with
 * @param ledger the ledger the service and the registry append to
 * @param afterRelease called after every release and recall made from the console (the node asks its
 * delivery scheduler for an immediate round)
 * @param inboxCollection the collection the exchange stores received objects in (the live feed and the object view name their sender)
 * @param identityId this node's STIX identity, creator of the Vigie handling markings authored in the console
 */
public record ConsoleExchange(ExchangeService service, PartnerRegistry registry, AuditLedger ledger, Runnable afterRelease, String inboxCollection, String identityId)
{
    public ConsoleExchange
    {
        requireNonNull(service, "service is null");
        requireNonNull(registry, "registry is null");
        requireNonNull(ledger, "ledger is null");
        requireNonNull(afterRelease, "afterRelease is null");
        requireNonNull(inboxCollection, "inboxCollection is null");
        requireNonNull(identityId, "identityId is null");
        if (!identityId.startsWith("identity--")) {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, "console exchange: '" + identityId + "' is not a STIX identity id (identity--...)");
        }
    }

    /** How the console names a partner: "name (id)", or the id alone for a partner no longer registered. */
    public String partnerLabel(String partnerId)
    {
        return registry.partner(partnerId).map(Partner::name).map(name -> name + " (" + partnerId + ")").orElse(partnerId);
    }

    /** With the exchange's default inbox collection. */
    public ConsoleExchange(ExchangeService service, PartnerRegistry registry, AuditLedger ledger, Runnable afterRelease, String identityId)
    {
        this(service, registry, ledger, afterRelease, ExchangeConfig.defaults().inboxCollection(), identityId);
    }
}
