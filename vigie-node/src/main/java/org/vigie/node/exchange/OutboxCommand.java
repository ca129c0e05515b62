package org.vigie.node.exchange;

import org.vigie.exchange.partner.Partner;
import org.vigie.exchange.service.OutboxEntry;
import org.vigie.exchange.service.OutboxState;
import org.vigie.exchange.service.Receipt;
import org.vigie.node.cli.CommandContext;
import org.vigie.stix.Timestamps;
import picocli.CommandLine;

import java.io.PrintStream;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

@CommandLine.Command(name = "outbox", mixinStandardHelpOptions = true,
        description = "A partner's outbox (every partner's without --partner): depth, envelopes per state, last receipt, and the envelopes not yet stored with their failures.")
final class OutboxCommand
        implements Callable<Integer>
{
    private final CommandContext context;

    @CommandLine.Mixin
    ExchangeDataDirectory dataDirectory;

    @CommandLine.Option(names = "--partner", paramLabel = "PARTNER", description = "The partner's name.")
    String partnerId;

    OutboxCommand(CommandContext context)
    {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call()
    {
        try (ExchangeDataDirectory.OpenExchange open = dataDirectory.openExchange(context)) {
            List<String> partners = partnerId != null
                    ? List.of(open.exchange().registry().requirePartner(partnerId).id())
                    : open.exchange().registry().partners().stream().map(Partner::id).toList();
            for (String partner : partners) {
                print(context.out(), partner, open.exchange().service().outbox(partner));
            }
            return 0;
        }
    }

    private static void print(PrintStream out, String partnerId, List<OutboxEntry> entries)
    {
        Map<OutboxState, Integer> states = new EnumMap<>(OutboxState.class);
        entries.forEach(entry -> states.merge(entry.state(), 1, Integer::sum));
        List<OutboxEntry> undelivered = entries.stream().filter(entry -> entry.state() != OutboxState.STORED).toList();
        StringBuilder line = new StringBuilder("partner " + partnerId + ": " + entries.size() + " envelope(s), depth " + undelivered.size());
        states.forEach((state, count) -> line.append(", ").append(state).append(' ').append(count));
        out.println(line);
        Optional<OutboxEntry> lastReceipt = entries.stream().filter(entry -> entry.receipt().isPresent()).reduce((first, second) -> second);
        out.println("  last receipt: " + lastReceipt.map(entry -> {
            Receipt receipt = entry.receipt().orElseThrow();
            return "sequence " + entry.sequence() + " " + entry.envelopeId() + " " + receipt.status() + ": " + receipt.detail();
        }).orElse("none"));
        for (OutboxEntry entry : undelivered) {
            out.println("  sequence " + entry.sequence() + " " + entry.kind() + " " + entry.envelopeId() + " " + entry.state() + ", " + entry.objectIds().size() + " object(s), "
                    + entry.attempts() + " attempt(s), next attempt " + Timestamps.format(entry.nextAttempt())
                    + entry.lastError().map(error -> ", last error: " + error).orElse(""));
        }
    }
}
