package org.vigie.exchange.policy;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.exchange.marking.EvaluationCode;
import org.vigie.exchange.marking.Markings;
import org.vigie.exchange.marking.Pap;
import org.vigie.exchange.marking.Tlp;
import org.vigie.exchange.partner.Partner;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * One declarative release rule: an audience (partners, trust groups, or all partners) and a selector
 * of objects. Every selector list is "any of"; an empty list matches everything. {@code maxTlp}
 * matches only objects whose TLP is at most that level (an object without TLP does not match a rule
 * that sets it). The same holds for {@code maximumPap} (PAP at most that level), {@code minimumReliability}
 * (source reliability of the evaluation code at least that good: A is best, F "cannot be judged" is last) and
 * {@code minimumCredibility} (information credibility at least that good: 1 is best, 6 last): an object
 * without PAP, or without an evaluation code, does not match a rule that sets the condition.
 */
public record ReleaseRule(
        String name,
        RuleEffect effect,
        boolean allPartners,
        List<String> partners,
        List<String> groups,
        List<String> collections,
        List<String> types,
        List<String> labels,
        Optional<Tlp> maxTlp,
        List<String> markingRefs,
        Optional<Pap> maximumPap,
        Optional<Character> minimumReliability,
        Optional<Integer> minimumCredibility)
{
    public ReleaseRule
    {
        requireNonNull(name, "name is null");
        requireNonNull(effect, "effect is null");
        partners = List.copyOf(requireNonNull(partners, "partners is null"));
        groups = List.copyOf(requireNonNull(groups, "groups is null"));
        collections = List.copyOf(requireNonNull(collections, "collections is null"));
        types = List.copyOf(requireNonNull(types, "types is null"));
        labels = List.copyOf(requireNonNull(labels, "labels is null"));
        requireNonNull(maxTlp, "maxTlp is null");
        markingRefs = List.copyOf(requireNonNull(markingRefs, "markingRefs is null"));
        requireNonNull(maximumPap, "maximumPap is null");
        requireNonNull(minimumReliability, "minimumReliability is null");
        requireNonNull(minimumCredibility, "minimumCredibility is null");
        if (name.isBlank()) {
            throw new VigieException(ErrorCode.INVALID_CONFIGURATION, "a release rule needs a non-blank name");
        }
        if (!allPartners && partners.isEmpty() && groups.isEmpty()) {
            throw new VigieException(ErrorCode.INVALID_CONFIGURATION, "release rule '" + name + "' has no audience: set partners, groups or all_partners");
        }
        if (minimumReliability.isPresent() && (minimumReliability.get() < 'A' || minimumReliability.get() > 'F')) {
            throw new VigieException(ErrorCode.INVALID_CONFIGURATION, "release rule '" + name + "': min_reliability '" + minimumReliability.get()
                    + "' must be a source reliability letter A (completely reliable) to F (cannot be judged)");
        }
        if (minimumCredibility.isPresent() && (minimumCredibility.get() < 1 || minimumCredibility.get() > 6)) {
            throw new VigieException(ErrorCode.INVALID_CONFIGURATION, "release rule '" + name + "': min_credibility " + minimumCredibility.get()
                    + " must be an information credibility 1 (confirmed) to 6 (cannot be judged)");
        }
    }

    public boolean appliesTo(Partner partner, Set<String> partnerGroupIds)
    {
        if (allPartners || partners.contains(partner.id())) {
            return true;
        }
        for (String group : groups) {
            if (partnerGroupIds.contains(group)) {
                return true;
            }
        }
        return false;
    }

    public boolean selects(String type, List<String> objectLabels, Optional<String> collectionId, Markings markings)
    {
        if (!collections.isEmpty() && (collectionId.isEmpty() || !collections.contains(collectionId.get()))) {
            return false;
        }
        if (!types.isEmpty() && !types.contains(type)) {
            return false;
        }
        if (!labels.isEmpty() && objectLabels.stream().noneMatch(labels::contains)) {
            return false;
        }
        if (maxTlp.isPresent() && (markings.tlp().isEmpty() || !markings.tlp().get().atMost(maxTlp.get()))) {
            return false;
        }
        if (maximumPap.isPresent() && (markings.pap().isEmpty() || markings.pap().get().compareTo(maximumPap.get()) > 0)) {
            return false;
        }
        Optional<EvaluationCode> evaluation = markings.evaluation();
        if (minimumReliability.isPresent() && (evaluation.isEmpty() || evaluation.get().sourceReliability() > minimumReliability.get())) {
            return false;
        }
        if (minimumCredibility.isPresent() && (evaluation.isEmpty() || evaluation.get().informationCredibility() > minimumCredibility.get())) {
            return false;
        }
        return markingRefs.isEmpty() || markings.markingIds().stream().anyMatch(markingRefs::contains);
    }
}
