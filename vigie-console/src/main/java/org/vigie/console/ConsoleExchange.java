package org.vigie.console;

import org.vigie.exchange.audit.AuditLedger;
import org.vigie.exchange.partner.Partner;
import org.vigie.exchange.partner.PartnerRegistry;
import org.vigie.exchange.service.ExchangeConfig;
import org.vigie.exchange.service.ExchangeService;

import static java.util.Objects.requireNonNull;

/**
 * What the console's Sharing screens need from the node's exchange. In the node, from
 * {@code org.vigie.node.exchange.ExchangeWiring}:
 * {@code new ConsoleExchange(wiring.service(), wiring.registry(), wiring.ledger(), wiring::deliverSoon, wiring.inboxCollection())}.
 *
 * @param registry the registry the service was created with
 * @param ledger the ledger the service and the registry append to
 * @param afterRelease called after every release and recall made from the console (the node asks its
 * delivery scheduler for an immediate round)
 * @param inboxCollection the collection the exchange stores received objects in (the live feed names their sender)
 */
public record ConsoleExchange(ExchangeService service, PartnerRegistry registry, AuditLedger ledger, Runnable afterRelease, String inboxCollection)
{
    public ConsoleExchange
    {
        requireNonNull(service, "service is null");
        requireNonNull(registry, "registry is null");
        requireNonNull(ledger, "ledger is null");
        requireNonNull(afterRelease, "afterRelease is null");
        requireNonNull(inboxCollection, "inboxCollection is null");
    }

    /** How the console names a partner: "name (id)", or the id alone for a partner no longer registered. */
    public String partnerLabel(String partnerId)
    {
        return registry.partner(partnerId).map(Partner::name).map(name -> name + " (" + partnerId + ")").orElse(partnerId);
    }

    /** With the exchange's default inbox collection. */
    public ConsoleExchange(ExchangeService service, PartnerRegistry registry, AuditLedger ledger, Runnable afterRelease)
    {
        this(service, registry, ledger, afterRelease, ExchangeConfig.defaults().inboxCollection());
    }
}
