package org.vigie.exchange.service;

import org.vigie.error.VigieException;
import org.vigie.exchange.marking.MarkingResolver;
import org.vigie.exchange.marking.Markings;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import static java.util.Objects.requireNonNull;

/**
 * How a new version of an object changes what may be done with it, compared with the version before it: what the
 * follower of the store's event log does for the partners that hold the object depends on it.
 */
enum VersionChange
{
    /** The new version is revoked and the one before was not. */
    REVOKED,
    /** Some aspect of the markings or labels is stricter (or changed in a way that cannot be ranked). */
    NARROWED,
    /**
     * Every aspect is as strict or looser, and one is looser. The new version is not sent (releasing more is the
     * owner's act), but holders from whom the policy now withholds it (a looser level matching a deny rule) get a recall.
     */
    WIDENED,
    /** Markings and labels unchanged: only the content changed. */
    UNCHANGED,
    /**
     * No earlier version in the collection: nothing to compare with. The partners holding the object got this very
     * version from a release (the follower may read the addition after the release) or the object from elsewhere.
     */
    FIRST;

    /** {@code previous}: the latest version before {@code current} in the same collection, if any. */
    static VersionChange between(Optional<JsonNode> previous, JsonNode current, MarkingResolver resolver)
    {
        requireNonNull(previous, "previous is null");
        requireNonNull(current, "current is null");
        requireNonNull(resolver, "resolver is null");
        if (current.path("revoked").asBoolean(false) && !previous.map(before -> before.path("revoked").asBoolean(false)).orElse(false)) {
            return REVOKED;
        }
        if (previous.isEmpty()) {
            return FIRST;
        }
        Markings before;
        Markings after;
        try {
            before = Markings.of(previous.get(), resolver);
            after = Markings.of(current, resolver);
        }
        catch (VigieException e) {
            // Malformed markings are withheld by the planner: planning per holder recalls it where it is.
            return NARROWED;
        }
        Comparison comparison = new Comparison();
        comparison.rank(before.tlp().map(Enum::ordinal), after.tlp().map(Enum::ordinal));
        comparison.rank(before.pap().map(Enum::ordinal), after.pap().map(Enum::ordinal));
        comparison.sets(Set.copyOf(before.handling()), Set.copyOf(after.handling()));
        // Named recipients: fewer names is stricter, and names where there were none.
        if (before.recipients().isPresent() || after.recipients().isPresent()) {
            if (before.recipients().isEmpty()) {
                comparison.narrowed = true;
            }
            else if (after.recipients().isEmpty()) {
                comparison.widened = true;
            }
            else {
                comparison.sets(Set.copyOf(after.recipients().get()), Set.copyOf(before.recipients().get()));
            }
        }
        comparison.expiry(before.expires(), after.expires());
        if (after.unresolvedMarkingIds().size() > before.unresolvedMarkingIds().size()) {
            comparison.narrowed = true;
        }
        // Rules select on the evaluation code with minimums, and by label and marking id: a change there cannot be ranked.
        if (!before.evaluation().equals(after.evaluation())) {
            comparison.narrowed = true;
        }
        // Rules select by label and marking id too: a change there cannot be ranked.
        if (!labels(previous.get()).equals(labels(current)) || (!comparison.changed() && !before.markingIds().equals(after.markingIds()))) {
            comparison.narrowed = true;
        }
        if (comparison.narrowed) {
            return NARROWED;
        }
        return comparison.widened ? WIDENED : UNCHANGED;
    }

    private static Set<String> labels(JsonNode object)
    {
        Set<String> labels = new TreeSet<>();
        object.path("labels").values().forEach(label -> labels.add(label.asString("")));
        return labels;
    }

    /** Aspects compared so far: whether any was made stricter, and whether any was loosened. */
    private static final class Comparison
    {
        private boolean narrowed;
        private boolean widened;

        /** A level where absent counts as the loosest (no TLP, no PAP). */
        void rank(Optional<Integer> before, Optional<Integer> after)
        {
            int from = before.orElse(-1);
            int to = after.orElse(-1);
            narrowed |= to > from;
            widened |= to < from;
        }

        /** A set where more elements are stricter (handling codes). */
        <T> void sets(Set<T> before, Set<T> after)
        {
            narrowed |= !before.containsAll(after);
            widened |= !after.containsAll(before);
        }

        void expiry(Optional<Instant> before, Optional<Instant> after)
        {
            if (after.isPresent() && (before.isEmpty() || after.get().isBefore(before.get()))) {
                narrowed = true;
            }
            if (before.isPresent() && (after.isEmpty() || after.get().isAfter(before.get()))) {
                widened = true;
            }
        }

        boolean changed()
        {
            return narrowed || widened;
        }
    }
}
