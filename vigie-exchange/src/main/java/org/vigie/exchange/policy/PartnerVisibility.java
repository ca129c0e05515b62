package org.vigie.exchange.policy;

import org.vigie.error.VigieException;
import org.vigie.exchange.marking.MarkingResolver;
import org.vigie.exchange.marking.Markings;
import org.vigie.exchange.partner.Partner;
import org.vigie.exchange.partner.PartnerRegistry;
import org.vigie.stix.json.StixJson;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * What one partner may see of the objects at rest in the store's collections, decided as a release
 * of each collection's latest versions would decide it ({@link ReleasePlanner}): the same decider,
 * and a reference is kept only if its target's latest version in the same collection is visible, so
 * that partner reads and push agree. Besides:
 * <ul>
 * <li>An object is visible only while its latest version is: narrowing the markings of a new version
 * hides the older versions too. An older version is served only if it is itself released.</li>
 * <li>A marking-definition is visible only when a push of the collection would send it: when the latest
 * version of an object the partner may see references it (references to marking-definitions are never
 * cut, as in a release). Otherwise a definition naming, say, another partner's identity as its only
 * recipient would tell the partner of an object it may not see.</li>
 * </ul>
 * Decisions are remembered for the life of the instance, which is one request: create one per request.
 * Not thread-safe.
 */
public final class PartnerVisibility
{
    private static final String MARKING_DEFINITION_PREFIX = "marking-definition--";

    /** The latest version of each of these objects in the collection (absent ids are left out). */
    @FunctionalInterface
    public interface LatestVersions
    {
        Map<String, JsonNode> find(String collectionId, Collection<String> objectIds);
    }

    /** Pages through the latest versions of a collection, as stored JSON text (marking-definitions are searched for among them). */
    @FunctionalInterface
    public interface LatestVersionPages
    {
        /** The page after {@code cursor} (empty: the first page). */
        TextPage read(String collectionId, Optional<String> cursor);
    }

    /** One page of stored JSON texts; {@code next} is empty on the last page. */
    public record TextPage(List<String> objects, Optional<String> next)
    {
        public TextPage
        {
            objects = List.copyOf(requireNonNull(objects, "objects is null"));
            requireNonNull(next, "next is null");
        }
    }

    /**
     * @param served the version as the partner may see it (references to invisible objects cut), or empty
     * @param decision empty for marking-definitions, which are not decided
     */
    public record Outcome(Optional<JsonNode> served, Optional<ReleaseDecision> decision, List<WithheldReference> withheldReferences)
    {
        public Outcome
        {
            requireNonNull(served, "served is null");
            requireNonNull(decision, "decision is null");
            withheldReferences = List.copyOf(requireNonNull(withheldReferences, "withheldReferences is null"));
        }
    }

    private final ReleaseDecider decider;
    private final MarkingResolver resolver;
    private final Partner partner;
    private final Set<String> groups;
    private final Instant now;
    private final LatestVersions latestVersions;
    private final LatestVersionPages pages;
    // Per collection: how far the search for marking-definitions referenced by visible objects has read.
    private final Map<String, DefinitionSearch> definitionSearches = new HashMap<>();
    // Per collection: object id to its latest version (null when the collection has none).
    private final Map<String, Map<String, JsonNode>> latest = new HashMap<>();
    // Per collection: object id to whether its latest version is visible.
    private final Map<String, Map<String, ReleaseDecision>> visible = new HashMap<>();
    private final Set<String> inProgress = new HashSet<>();

    private PartnerVisibility(ReleaseDecider decider, MarkingResolver resolver, Partner partner, Set<String> groups, Instant now, LatestVersions latestVersions,
            LatestVersionPages pages)
    {
        this.decider = requireNonNull(decider, "decider is null");
        this.resolver = requireNonNull(resolver, "resolver is null");
        this.partner = requireNonNull(partner, "partner is null");
        this.groups = Set.copyOf(requireNonNull(groups, "groups is null"));
        this.now = requireNonNull(now, "now is null");
        this.latestVersions = requireNonNull(latestVersions, "latestVersions is null");
        this.pages = requireNonNull(pages, "pages is null");
    }

    public static PartnerVisibility create(ReleaseDecider decider, PartnerRegistry registry, MarkingResolver resolver, Partner partner, Instant now, LatestVersions latestVersions,
            LatestVersionPages pages)
    {
        return new PartnerVisibility(decider, resolver, partner, registry.groupIdsOf(partner.id()), now, latestVersions, pages);
    }

    public Partner partner()
    {
        return partner;
    }

    /** Whether an allow rule of the policy could release anything of this collection to the partner. */
    public boolean mayRead(String collectionId)
    {
        for (ReleaseRule rule : decider.policy().rules()) {
            boolean allows = switch (rule.effect()) {
                case ALLOW -> true;
                case DENY -> false;
            };
            if (allows && rule.appliesTo(partner, groups) && (rule.collections().isEmpty() || rule.collections().contains(collectionId))) {
                return true;
            }
        }
        return false;
    }

    /** Looks up in one go the latest versions of these objects and of everything they reference. */
    public void prefetch(String collectionId, List<JsonNode> versions)
    {
        Set<String> wanted = new LinkedHashSet<>();
        for (JsonNode version : versions) {
            wanted.add(version.path("id").asString(""));
            for (DefaultReleasePlanner.Reference reference : DefaultReleasePlanner.references(version)) {
                wanted.add(reference.targetId());
            }
        }
        load(collectionId, wanted);
    }

    /** Decides one stored version of an object of this collection. */
    public Outcome decide(String collectionId, JsonNode version)
    {
        String id = version.path("id").asString("");
        String type = version.path("type").asString("");
        if (type.equals("marking-definition")) {
            return new Outcome(referencedByVisibleObject(collectionId, id) ? Optional.of(version) : Optional.empty(), Optional.empty(), List.of());
        }
        ReleaseDecision objectDecision = latestDecision(collectionId, id);
        if (!objectDecision.released()) {
            return new Outcome(Optional.empty(), Optional.of(objectDecision), List.of());
        }
        List<DefaultReleasePlanner.Reference> references = DefaultReleasePlanner.references(version);
        JsonNode latestVersion = latest.get(collectionId).get(id);
        if (!version.equals(latestVersion)) {
            // An older (or other specification) version: decided on its own markings and references too.
            ReleaseDecision versionDecision = decideAlone(collectionId, version, references);
            if (!versionDecision.released()) {
                return new Outcome(Optional.empty(), Optional.of(versionDecision), List.of());
            }
        }
        load(collectionId, references.stream().map(DefaultReleasePlanner.Reference::targetId).toList());
        List<WithheldReference> withheld = new ArrayList<>();
        for (DefaultReleasePlanner.Reference reference : references) {
            if (!kept(collectionId, reference.targetId())) {
                withheld.add(new WithheldReference(id, reference.path(), reference.targetId()));
            }
        }
        withheld.sort(null);
        JsonNode served = withheld.isEmpty() ? version : DefaultReleasePlanner.cut(version.deepCopy(), target -> kept(collectionId, target));
        return new Outcome(Optional.of(served), Optional.of(objectDecision), withheld);
    }

    /** What the search for referenced marking-definitions of one collection has found so far, and where it stopped. */
    private static final class DefinitionSearch
    {
        private final Set<String> referenced = new HashSet<>();
        private Optional<String> cursor = Optional.empty();
        private boolean finished;
    }

    /**
     * Whether the latest version of an object of the collection that the partner may see references this
     * marking-definition, as the release planner adds it to a push of the collection. The collection's latest
     * versions are read page by page only as far as needed, and the search resumes where it stopped for the
     * next definition asked about; a definition no visible object references costs a read of the whole
     * collection, once per request.
     */
    private boolean referencedByVisibleObject(String collectionId, String markingId)
    {
        DefinitionSearch search = definitionSearches.computeIfAbsent(collectionId, key -> new DefinitionSearch());
        while (!search.referenced.contains(markingId) && !search.finished) {
            TextPage page = pages.read(collectionId, search.cursor);
            for (String json : page.objects()) {
                if (!json.contains(MARKING_DEFINITION_PREFIX)) {
                    continue;
                }
                JsonNode latestVersion = StixJson.parse(json);
                if (latestVersion.path("type").asString("").equals("marking-definition")) {
                    continue;
                }
                List<String> definitions = DefaultReleasePlanner.references(latestVersion).stream()
                        .map(DefaultReleasePlanner.Reference::targetId)
                        .filter(DefaultReleasePlanner::isMarkingDefinition)
                        .toList();
                if (search.referenced.containsAll(definitions)) {
                    continue;
                }
                String id = latestVersion.path("id").asString("");
                latest.computeIfAbsent(collectionId, key -> new HashMap<>()).putIfAbsent(id, latestVersion);
                if (latestDecision(collectionId, id).released()) {
                    search.referenced.addAll(definitions);
                }
            }
            search.cursor = page.next();
            search.finished = page.next().isEmpty();
        }
        return search.referenced.contains(markingId);
    }

    private boolean kept(String collectionId, String targetId)
    {
        return DefaultReleasePlanner.isMarkingDefinition(targetId) || latestDecision(collectionId, targetId).released();
    }

    /** The decision on the object's latest version in the collection, its required references included. */
    private ReleaseDecision latestDecision(String collectionId, String id)
    {
        Map<String, ReleaseDecision> decided = visible.computeIfAbsent(collectionId, key -> new HashMap<>());
        ReleaseDecision known = decided.get(id);
        if (known != null) {
            return known;
        }
        load(collectionId, List.of(id));
        JsonNode latestVersion = latest.get(collectionId).get(id);
        if (latestVersion == null) {
            ReleaseDecision absent = new ReleaseDecision(id, partner.id(), DecisionReason.NO_RULE_ALLOWS, Optional.empty(), "not in collection " + collectionId);
            decided.put(id, absent);
            return absent;
        }
        String key = collectionId + "\n" + id;
        if (!inProgress.add(key)) {
            // A cycle of references: assumed visible while it is decided, as the planner's fixed point starts from "released".
            return new ReleaseDecision(id, partner.id(), DecisionReason.ALLOWED_BY_RULE, Optional.empty(), "being decided");
        }
        try {
            List<DefaultReleasePlanner.Reference> references = DefaultReleasePlanner.references(latestVersion);
            ReleaseDecision decision = decideAlone(collectionId, latestVersion, references);
            decided.put(id, decision);
            return decision;
        }
        finally {
            inProgress.remove(key);
        }
    }

    /** The decider's decision, then the required references (each target decided in turn). */
    private ReleaseDecision decideAlone(String collectionId, JsonNode version, List<DefaultReleasePlanner.Reference> references)
    {
        String id = version.path("id").asString("");
        Markings markings;
        try {
            markings = Markings.of(version, resolver);
        }
        catch (VigieException e) {
            return new ReleaseDecision(id, partner.id(), DecisionReason.INVALID_MARKINGS, Optional.empty(), e.getMessage());
        }
        ReleaseDecision decision = decider.decide(version, markings, partner, new ReleaseContext(Optional.of(collectionId), groups, now));
        if (!decision.released()) {
            return decision;
        }
        String type = version.path("type").asString("");
        Optional<String> missing = DefaultReleasePlanner.missingRequiredReference(type, references, target -> kept(collectionId, target));
        if (missing.isPresent()) {
            return new ReleaseDecision(id, partner.id(), DecisionReason.REQUIRED_REFERENCE_WITHHELD, Optional.empty(), missing.get());
        }
        return decision;
    }

    private void load(String collectionId, Collection<String> ids)
    {
        Map<String, JsonNode> known = latest.computeIfAbsent(collectionId, key -> new HashMap<>());
        List<String> missing = new ArrayList<>();
        for (String id : ids) {
            if (!known.containsKey(id) && !DefaultReleasePlanner.isMarkingDefinition(id)) {
                missing.add(id);
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        Map<String, JsonNode> found = latestVersions.find(collectionId, missing);
        for (String id : missing) {
            known.put(id, found.get(id));
        }
    }
}
