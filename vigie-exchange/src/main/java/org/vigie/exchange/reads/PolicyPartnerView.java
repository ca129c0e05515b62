package org.vigie.exchange.reads;

import org.vigie.exchange.audit.AuditKind;
import org.vigie.exchange.audit.AuditLedger;
import org.vigie.exchange.audit.AuditRecord;
import org.vigie.exchange.database.ExchangeDatabase;
import org.vigie.exchange.database.PartnerHoldings;
import org.vigie.exchange.marking.MarkingResolver;
import org.vigie.exchange.partner.Partner;
import org.vigie.exchange.partner.PartnerRegistry;
import org.vigie.exchange.policy.PartnerVisibility;
import org.vigie.exchange.policy.ReleaseDecider;
import org.vigie.exchange.policy.WithheldReference;
import org.vigie.stix.json.StixJson;
import org.vigie.store.ObjectPage;
import org.vigie.store.ObjectQuery;
import org.vigie.store.ObjectStore;
import org.vigie.store.StoredObject;
import org.vigie.taxii.server.PartnerView;
import org.vigie.taxii.server.ServedObject;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

final class PolicyPartnerView
        implements PartnerView
{
    // Ids per store query when looking up latest versions (well under every database's parameter limit).
    private static final int LOOKUP_BATCH = 500;

    private final String partnerId;
    private final String actor;
    private final Optional<PartnerVisibility> visibility;
    private final AuditLedger ledger;
    private final ExchangeDatabase database;
    private final Instant now;
    private final List<WithheldReference> withheld = new ArrayList<>();

    PolicyPartnerView(String partnerId, String actor, Optional<Partner> partner, ObjectStore store, PartnerRegistry registry, ReleaseDecider decider,
            MarkingResolver resolver, AuditLedger ledger, ExchangeDatabase database, Instant now)
    {
        this.partnerId = requireNonNull(partnerId, "partnerId is null");
        this.actor = requireNonNull(actor, "actor is null");
        this.ledger = requireNonNull(ledger, "ledger is null");
        this.database = requireNonNull(database, "database is null");
        this.now = requireNonNull(now, "now is null");
        this.visibility = partner.map(found -> PartnerVisibility.create(decider, registry, resolver, found, now, (collectionId, ids) -> latest(store, collectionId, ids),
                (collectionId, cursor) -> latestPage(store, collectionId, cursor)));
    }

    @Override
    public String partnerId()
    {
        return partnerId;
    }

    @Override
    public boolean mayRead(String collectionId)
    {
        return visibility.isPresent() && visibility.get().mayRead(collectionId);
    }

    @Override
    public List<Optional<ServedObject>> filter(String collectionId, List<StoredObject> objects)
    {
        List<Optional<ServedObject>> result = new ArrayList<>(objects.size());
        if (visibility.isEmpty() || !visibility.get().mayRead(collectionId)) {
            objects.forEach(object -> result.add(Optional.empty()));
            return result;
        }
        List<JsonNode> trees = new ArrayList<>(objects.size());
        for (StoredObject stored : objects) {
            trees.add(stored.object().tree());
        }
        visibility.get().prefetch(collectionId, trees);
        for (int index = 0; index < objects.size(); index++) {
            StoredObject stored = objects.get(index);
            PartnerVisibility.Outcome outcome = visibility.get().decide(collectionId, trees.get(index));
            if (outcome.served().isEmpty()) {
                result.add(Optional.empty());
                continue;
            }
            List<String> paths = new ArrayList<>();
            for (WithheldReference reference : outcome.withheldReferences()) {
                if (!paths.contains(reference.path())) {
                    paths.add(reference.path());
                }
            }
            // Untouched objects are served as stored, byte for byte.
            String json = outcome.withheldReferences().isEmpty() ? stored.object().json() : StixJson.compact(outcome.served().get());
            result.add(Optional.of(new ServedObject(stored, json, paths)));
            withheld.addAll(outcome.withheldReferences());
        }
        return result;
    }

    @Override
    public void record(Egress egress, String request, String collectionId, List<ServedObject> served)
    {
        AuditKind kind = switch (egress) {
            case TAXII_READ -> AuditKind.PARTNER_READ;
            case EXPORT -> AuditKind.RELEASE;
        };
        List<String> ids = served.stream().map(ServedObject::id).distinct().toList();
        StringBuilder detail = new StringBuilder(request).append(": ").append(served.size()).append(" served");
        List<String> servedIds = served.stream().map(ServedObject::id).toList();
        List<WithheldReference> cut = withheld.stream().filter(reference -> servedIds.contains(reference.objectId())).distinct().sorted().toList();
        if (!cut.isEmpty()) {
            // Targets are named here: the ledger stays local.
            detail.append("; cut references:");
            for (WithheldReference reference : cut) {
                detail.append(' ').append(reference.objectId()).append('.').append(reference.path()).append("->").append(reference.targetId());
            }
        }
        withheld.clear();
        AuditRecord record = new AuditRecord(kind, actor, Optional.of(partnerId), ids, List.of(), Optional.empty(), detail.toString());
        database.inTransaction("audit a read by partner " + partnerId, connection -> {
            ledger.append(record);
            // The partner now holds what it was served: a later recall or narrowing reaches it too.
            PartnerHoldings.recordRead(connection, partnerId, ids, now);
            return null;
        });
    }

    @Override
    public void recordCollections(String request, List<String> collectionIds)
    {
        AuditRecord record = new AuditRecord(AuditKind.PARTNER_READ, actor, Optional.of(partnerId), List.of(), List.of(), Optional.empty(),
                request + ": collections " + (collectionIds.isEmpty() ? "(none)" : String.join(", ", collectionIds.stream().sorted().toList())));
        database.inTransaction("audit a read by partner " + partnerId, connection -> ledger.append(record));
    }

    private static PartnerVisibility.TextPage latestPage(ObjectStore store, String collectionId, Optional<String> cursor)
    {
        ObjectQuery query = ObjectQuery.all(LOOKUP_BATCH);
        ObjectPage page = store.findObjects(collectionId, cursor.isPresent() ? query.withNext(cursor.get()) : query);
        return new PartnerVisibility.TextPage(page.objects().stream().map(stored -> stored.object().json()).toList(), page.next());
    }

    private static Map<String, JsonNode> latest(ObjectStore store, String collectionId, Collection<String> ids)
    {
        Map<String, JsonNode> found = new HashMap<>();
        List<String> all = List.copyOf(ids);
        for (int start = 0; start < all.size(); start += LOOKUP_BATCH) {
            List<String> batch = all.subList(start, Math.min(all.size(), start + LOOKUP_BATCH));
            for (StoredObject stored : store.findObjects(collectionId, ObjectQuery.all(batch.size()).withIds(batch)).objects()) {
                found.put(stored.object().id(), stored.object().tree());
            }
        }
        return found;
    }
}
