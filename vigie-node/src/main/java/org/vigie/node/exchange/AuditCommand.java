package org.vigie.node.exchange;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.exchange.audit.AuditEntry;
import org.vigie.exchange.audit.AuditKind;
import org.vigie.exchange.audit.AuditLedger;
import org.vigie.exchange.audit.AuditQuery;
import org.vigie.exchange.audit.LedgerAnchor;
import org.vigie.exchange.audit.LedgerVerification;
import org.vigie.node.cli.CommandContext;
import org.vigie.stix.Timestamps;
import org.vigie.stix.json.StixJson;
import picocli.CommandLine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

@CommandLine.Command(name = "audit", mixinStandardHelpOptions = true, description = "Verify and query the hash-chained audit ledger of the exchange.")
final class AuditCommand
        implements Runnable
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run()
    {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required (verify, query)");
    }

    @CommandLine.Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Walk the whole ledger: exit 0 when every entry verifies (prints the head to keep as an anchor), 2 with the first bad entry and why.")
    static final class Verify
            implements Callable<Integer>
    {
        private final CommandContext context;

        @CommandLine.Mixin
        ExchangeDataDirectory dataDirectory;

        @CommandLine.Option(names = "--anchor", paramLabel = "SEQUENCE:HASH", description = "A head printed by an earlier verify: the ledger must still contain it unchanged.")
        String anchor;

        Verify(CommandContext context)
        {
            this.context = requireNonNull(context, "context is null");
        }

        @Override
        public Integer call()
        {
            Optional<LedgerAnchor> expected = Optional.ofNullable(anchor).map(Verify::anchor);
            try (ExchangeStorage storage = dataDirectory.openExisting(context)) {
                AuditLedger ledger = storage.ledger();
                LedgerVerification verification;
                try {
                    verification = expected.isPresent() ? ledger.verify(expected.get()) : ledger.verify();
                }
                catch (VigieException e) {
                    if (e.errorCode() != ErrorCode.AUDIT_LEDGER_BROKEN) {
                        throw e;
                    }
                    // An entry that is no longer even readable JSON is tampering too.
                    context.out().println("audit ledger " + storage.location() + " is broken: " + e.getMessage());
                    return 2;
                }
                if (verification.valid()) {
                    context.out().println("audit ledger " + storage.location() + " verified: " + verification.entriesChecked() + " entries"
                            + verification.head().map(head -> ", head " + head.sequence() + ":" + head.hash()).orElse(""));
                    return 0;
                }
                context.out().println("audit ledger " + storage.location() + " is broken at entry " + verification.firstBadSequence().orElseThrow() + " ("
                        + verification.problem().orElseThrow() + "): " + verification.explanation() + "; " + verification.entriesChecked() + " entries before it verified");
                return 2;
            }
        }

        private static LedgerAnchor anchor(String text)
        {
            int colon = text.indexOf(':');
            try {
                if (colon > 0 && text.substring(colon + 1).matches("[0-9a-f]{64}")) {
                    return new LedgerAnchor(Long.parseLong(text.substring(0, colon)), text.substring(colon + 1));
                }
            }
            catch (NumberFormatException e) {
                // reported below
            }
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, "--anchor '" + text + "' must be SEQUENCE:HASH as printed by 'vigie audit verify' (HASH: 64 lower-case hex digits)");
        }
    }

    @CommandLine.Command(name = "query", mixinStandardHelpOptions = true,
            description = "What was released to whom, when, under which handling: one line per matching entry (or JSON lines with --json), oldest first.")
    static final class Query
            implements Callable<Integer>
    {
        private final CommandContext context;

        @CommandLine.Mixin
        ExchangeDataDirectory dataDirectory;

        @CommandLine.Option(names = "--partner", paramLabel = "PARTNER", description = "Only entries about this partner.")
        String partnerId;

        @CommandLine.Option(names = "--kind", paramLabel = "KIND", description = "Only these kinds: release, receipt, rejection, policy_change, partner_read, partner_change, recall.")
        List<String> kinds = new ArrayList<>();

        @CommandLine.Option(names = "--object", paramLabel = "ID", description = "Only entries naming this object.")
        String objectId;

        @CommandLine.Option(names = "--since", paramLabel = "TIMESTAMP", description = "Only entries at or after this time (e.g. 2026-03-01T00:00:00Z).")
        String since;

        @CommandLine.Option(names = "--until", paramLabel = "TIMESTAMP", description = "Only entries before this time.")
        String until;

        @CommandLine.Option(names = "--json", description = "One JSON object per line: the entry as stored (hash included).")
        boolean json;

        Query(CommandContext context)
        {
            this.context = requireNonNull(context, "context is null");
        }

        @Override
        public Integer call()
        {
            Set<AuditKind> kindSet = EnumSet.noneOf(AuditKind.class);
            for (String kind : kinds) {
                try {
                    kindSet.add(AuditKind.valueOf(kind.strip().toUpperCase(Locale.ROOT).replace('-', '_')));
                }
                catch (IllegalArgumentException e) {
                    throw new VigieException(ErrorCode.INVALID_ARGUMENT, "--kind '" + kind + "' is not one of release, receipt, rejection, policy_change, partner_read, partner_change, recall");
                }
            }
            Optional<Instant> from = Optional.ofNullable(since).map(text -> time("--since", text));
            Optional<Instant> to = Optional.ofNullable(until).map(text -> time("--until", text));
            AuditQuery query = new AuditQuery(Optional.ofNullable(partnerId), from, to, kindSet, Optional.ofNullable(objectId), Integer.MAX_VALUE);
            try (ExchangeStorage storage = dataDirectory.openExisting(context)) {
                for (AuditEntry entry : storage.ledger().query(query)) {
                    context.out().println(json ? StixJson.compact(entry.toJson()) : line(entry));
                }
                return 0;
            }
        }

        static String line(AuditEntry entry)
        {
            return String.join("\t",
                    Long.toString(entry.sequence()),
                    Timestamps.format(entry.timestamp()),
                    entry.kind().name(),
                    entry.partnerId().orElse("-"),
                    entry.actor(),
                    "objects=" + String.join(",", entry.objectIds()),
                    "handling=" + String.join(",", entry.handling()),
                    entry.envelopeId().orElse("-"),
                    entry.detail());
        }

        private static Instant time(String option, String text)
        {
            try {
                return Timestamps.parse(text.strip());
            }
            catch (RuntimeException e) {
                try {
                    return Instant.parse(text.strip());
                }
                catch (RuntimeException ignored) {
                    throw new VigieException(ErrorCode.INVALID_ARGUMENT, option + " '" + text + "' is not a timestamp such as 2026-03-01T00:00:00Z");
                }
            }
        }
    }
}
