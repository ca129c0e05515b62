package org.vigie.node.exchange;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.exchange.service.Acknowledgement;
import org.vigie.exchange.service.RecallResult;
import org.vigie.node.cli.CommandContext;
import picocli.CommandLine;

import java.util.List;
import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

@CommandLine.Command(name = "recall", mixinStandardHelpOptions = true,
        description = "Recall an object from every partner it was released to (a signed recall envelope each, queued behind earlier releases); recorded in the audit ledger.")
final class RecallCommand
        implements Callable<Integer>
{
    private final CommandContext context;

    @CommandLine.Mixin
    ExchangeDataDirectory dataDirectory;

    // Not "required" for picocli: it would then demand it before the status subcommand too.
    @CommandLine.Option(names = "--object", paramLabel = "ID", description = "The object to recall (required).")
    String objectId;

    @CommandLine.Option(names = "--reason", defaultValue = "recalled by the operator", description = "Why, told to the partners (default: ${DEFAULT-VALUE}).")
    String reason;

    RecallCommand(CommandContext context)
    {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call()
    {
        if (objectId == null) {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, "recall needs --object ID (or 'vigie recall status --object ID')");
        }
        try (ExchangeDataDirectory.OpenExchange open = dataDirectory.openExchange(context)) {
            RecallResult result = open.exchange().service().recall(objectId, reason, ExchangeDataDirectory.actor());
            List<String> partners = result.recalledPartnerIds();
            if (partners.isEmpty() && result.skippedPartnerIds().isEmpty()) {
                context.out().println(objectId + " was released to no partner: nothing to recall");
            }
            else if (!partners.isEmpty()) {
                context.out().println("recall of " + objectId + " queued for " + String.join(", ", partners) + "; see 'vigie recall status --object " + objectId + "'");
            }
            if (!result.skippedPartnerIds().isEmpty()) {
                context.out().println("not recalled from " + String.join(", ", result.skippedPartnerIds()) + ": no longer registered partners (recorded in the audit ledger)");
            }
            return 0;
        }
    }

    @CommandLine.Command(name = "status", mixinStandardHelpOptions = true, description = "Per partner a recall of the object went to: acknowledged or not, with the last error.")
    static final class Status
            implements Callable<Integer>
    {
        private final CommandContext context;

        @CommandLine.Mixin
        ExchangeDataDirectory dataDirectory;

        @CommandLine.Option(names = "--object", required = true, paramLabel = "ID", description = "The recalled object.")
        String objectId;

        Status(CommandContext context)
        {
            this.context = requireNonNull(context, "context is null");
        }

        @Override
        public Integer call()
        {
            try (ExchangeDataDirectory.OpenExchange open = dataDirectory.openExchange(context)) {
                List<Acknowledgement> acknowledgements = open.exchange().service().recallStatus(objectId);
                if (acknowledgements.isEmpty()) {
                    context.out().println("no recall of " + objectId + " was sent");
                }
                for (Acknowledgement acknowledgement : acknowledgements) {
                    context.out().println(acknowledgement.partnerId() + "\t" + (acknowledgement.acknowledged() ? "acknowledged" : "not acknowledged") + "\t"
                            + acknowledgement.state() + "\t" + acknowledgement.envelopeId() + acknowledgement.lastError().map(error -> "\t" + error).orElse(""));
                }
                return 0;
            }
        }
    }
}
