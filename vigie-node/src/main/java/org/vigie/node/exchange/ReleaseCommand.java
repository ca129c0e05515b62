package org.vigie.node.exchange;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.exchange.partner.Partner;
import org.vigie.exchange.partner.PartnerRegistry;
import org.vigie.exchange.policy.ReleaseDecision;
import org.vigie.exchange.policy.ReleaseItem;
import org.vigie.exchange.policy.ReleasePlan;
import org.vigie.exchange.policy.WithheldReference;
import org.vigie.exchange.service.PartnerRelease;
import org.vigie.exchange.service.ReleaseResult;
import org.vigie.exchange.service.ReleaseTargets;
import org.vigie.node.cli.CommandContext;
import org.vigie.store.ObjectPage;
import org.vigie.store.ObjectQuery;
import org.vigie.store.ObjectStore;
import org.vigie.store.StoredObject;
import picocli.CommandLine;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

@CommandLine.Command(name = "release", mixinStandardHelpOptions = true,
        description = "Release objects of a collection to partners and trust groups under the release policy: prints every decision per partner, "
                + "with the policy's explanation and the references cut. The envelopes are queued; the running node delivers them.")
final class ReleaseCommand
        implements Callable<Integer>
{
    private static final int PAGE = 1_000;

    private final CommandContext context;

    @CommandLine.Mixin
    ExchangeDataDirectory dataDirectory;

    @CommandLine.Option(names = "--collection", required = true, description = "The collection the objects are released from.")
    String collectionId;

    @CommandLine.Option(names = "--object", paramLabel = "ID", description = "An object to release (latest version); default: every object of the collection.")
    List<String> objectIds = new ArrayList<>();

    @CommandLine.Option(names = "--to", required = true, arity = "1..*", paramLabel = "PARTNER|GROUP", description = "Partner or trust group names.")
    List<String> targets;

    @CommandLine.Option(names = "--dry-run", description = "Only show what each partner would receive; nothing is queued or recorded.")
    boolean dryRun;

    ReleaseCommand(CommandContext context)
    {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call()
    {
        try (ExchangeDataDirectory.OpenExchange open = dataDirectory.openExchange(context)) {
            PartnerRegistry registry = open.exchange().registry();
            ReleaseTargets releaseTargets = resolve(registry);
            List<ReleaseItem> items = items(open.store());
            PrintStream out = context.out();
            if (dryRun) {
                for (Partner partner : recipients(registry, releaseTargets)) {
                    ReleasePlan plan = open.exchange().service().preview(partner.id(), items);
                    out.println("partner " + partner.id() + " (dry run): would receive " + plan.releasedObjectIds().size() + " of " + plan.decisions().size() + " object(s)"
                            + handling(plan.handling()));
                    print(out, plan.decisions(), plan.withheldReferences());
                }
                return 0;
            }
            // The running node's scheduler pushes what is queued here within its delivery interval.
            ReleaseResult result = open.exchange().service().release(items, releaseTargets, ExchangeDataDirectory.actor());
            for (PartnerRelease release : result.partners()) {
                String envelope = release.envelopeId()
                        .map(id -> "queued " + id + " sequence " + release.sequence().orElseThrow())
                        .orElse("nothing queued");
                out.println("partner " + release.partnerId() + ": " + release.releasedObjectIds().size() + " of " + release.decisions().size() + " object(s) released, " + envelope
                        + release.recallEnvelopeId().map(id -> "; recall queued " + id).orElse(""));
                print(out, release.decisions(), release.withheldReferences());
            }
            return 0;
        }
    }

    private ReleaseTargets resolve(PartnerRegistry registry)
    {
        Set<String> partners = new TreeSet<>();
        Set<String> groups = new TreeSet<>();
        for (String target : targets) {
            if (registry.partner(target).isPresent()) {
                partners.add(target);
            }
            else if (registry.group(target).isPresent()) {
                groups.add(target);
            }
            else {
                throw new VigieException(ErrorCode.PARTNER_NOT_FOUND, "--to '" + target + "' is neither a registered partner nor a trust group in "
                        + dataDirectory.dataDirectory + " (see 'vigie partner list' and 'vigie group list')");
            }
        }
        return new ReleaseTargets(List.copyOf(partners), List.copyOf(groups));
    }

    private static List<Partner> recipients(PartnerRegistry registry, ReleaseTargets targets)
    {
        TreeMap<String, Partner> recipients = new TreeMap<>();
        targets.partnerIds().forEach(id -> recipients.put(id, registry.requirePartner(id)));
        targets.groupIds().forEach(id -> registry.members(id).forEach(member -> recipients.put(member.id(), member)));
        return List.copyOf(recipients.values());
    }

    private List<ReleaseItem> items(ObjectStore store)
    {
        if (store.findCollection(collectionId).isEmpty()) {
            throw new VigieException(ErrorCode.COLLECTION_NOT_FOUND, "--collection " + collectionId + " does not exist in " + dataDirectory.dataDirectory + " (see 'vigie collection list')");
        }
        List<ReleaseItem> items = new ArrayList<>();
        ObjectQuery query = ObjectQuery.all(PAGE);
        if (!objectIds.isEmpty()) {
            query = query.withIds(List.copyOf(new TreeSet<>(objectIds)));
        }
        while (true) {
            ObjectPage page = store.findObjects(collectionId, query);
            for (StoredObject stored : page.objects()) {
                items.add(ReleaseItem.of(stored.object().tree(), collectionId));
            }
            if (!page.more() || page.next().isEmpty()) {
                break;
            }
            query = query.withNext(page.next().get());
        }
        Set<String> found = new TreeSet<>();
        items.forEach(item -> found.add(item.id()));
        for (String objectId : objectIds) {
            if (!found.contains(objectId)) {
                throw new VigieException(ErrorCode.OBJECT_NOT_FOUND, "--object " + objectId + " is not in collection " + collectionId);
            }
        }
        if (items.isEmpty()) {
            throw new VigieException(ErrorCode.OBJECT_NOT_FOUND, "collection " + collectionId + " holds no object to release");
        }
        return items;
    }

    private static void print(PrintStream out, List<ReleaseDecision> decisions, List<WithheldReference> withheldReferences)
    {
        for (ReleaseDecision decision : decisions) {
            out.println("  " + (decision.released() ? "released " : "withheld ") + decision.objectId() + ": " + decision.reason()
                    + decision.ruleName().map(rule -> " (rule '" + rule + "')").orElse("") + ": " + decision.explanation());
        }
        // Shown to the operator only: the partner learns where a reference was cut, never its target.
        for (WithheldReference reference : withheldReferences) {
            out.println("  cut reference " + reference.objectId() + " " + reference.path() + " -> " + reference.targetId() + " (withheld)");
        }
    }

    private static String handling(List<String> handling)
    {
        return handling.isEmpty() ? "" : " under " + String.join(", ", handling);
    }
}
