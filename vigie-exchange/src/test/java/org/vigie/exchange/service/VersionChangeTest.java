package org.vigie.exchange.service;

import org.junit.jupiter.api.Test;
import org.vigie.exchange.marking.EvaluationCode;
import org.vigie.exchange.marking.HandlingCode;
import org.vigie.exchange.marking.MarkingResolver;
import org.vigie.exchange.marking.Pap;
import org.vigie.exchange.marking.Tlp;
import org.vigie.exchange.marking.VigieMarking;
import org.vigie.exchange.testing.TestObjects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vigie.exchange.testing.TestObjects.idOf;

/** How the follower of the store's log classifies a new version against the one before it. */
class VersionChangeTest
{
    private static final ObjectNode H2 = TestObjects.marking(VigieMarking.empty().withHandling(HandlingCode.H2, Optional.empty()));
    private static final ObjectNode PAP_RED = TestObjects.marking(VigieMarking.empty().withPap(Pap.RED));
    private static final ObjectNode FOR_B = TestObjects.marking(VigieMarking.empty().withRecipients(List.of("identity--b")));
    private static final ObjectNode FOR_B_AND_C = TestObjects.marking(VigieMarking.empty().withRecipients(List.of("identity--b", "identity--c")));
    private static final ObjectNode EXPIRES_SOON = TestObjects.marking(VigieMarking.empty().withExpires(Instant.parse("2026-05-01T00:00:00Z")));
    private static final ObjectNode EXPIRES_LATER = TestObjects.marking(VigieMarking.empty().withExpires(Instant.parse("2026-06-01T00:00:00Z")));
    private static final ObjectNode RELIABLE = TestObjects.marking(VigieMarking.empty().withEvaluation(EvaluationCode.parse("A1")));
    private static final ObjectNode UNRELIABLE = TestObjects.marking(VigieMarking.empty().withEvaluation(EvaluationCode.parse("E5")));
    private static final MarkingResolver RESOLVER = MarkingResolver.of(List.of(H2, PAP_RED, FOR_B, FOR_B_AND_C, EXPIRES_SOON, EXPIRES_LATER, RELIABLE, UNRELIABLE), Map.of());

    @Test
    void stricterMarkingsNarrowAndLooserOnesWiden()
    {
        assertThat(change(version(Tlp.GREEN), version(Tlp.AMBER))).isEqualTo(VersionChange.NARROWED);
        assertThat(change(version(Tlp.AMBER), version(Tlp.GREEN))).isEqualTo(VersionChange.WIDENED);
        assertThat(change(version(Tlp.GREEN), version(Tlp.GREEN, H2))).isEqualTo(VersionChange.NARROWED);
        assertThat(change(version(Tlp.GREEN, H2), version(Tlp.GREEN))).isEqualTo(VersionChange.WIDENED);
        assertThat(change(version(Tlp.GREEN), version(Tlp.GREEN, PAP_RED))).isEqualTo(VersionChange.NARROWED);
        assertThat(change(version(Tlp.GREEN, FOR_B_AND_C), version(Tlp.GREEN, FOR_B))).isEqualTo(VersionChange.NARROWED);
        assertThat(change(version(Tlp.GREEN, FOR_B), version(Tlp.GREEN, FOR_B_AND_C))).isEqualTo(VersionChange.WIDENED);
        assertThat(change(version(Tlp.GREEN), version(Tlp.GREEN, FOR_B))).isEqualTo(VersionChange.NARROWED);
        assertThat(change(version(Tlp.GREEN, EXPIRES_LATER), version(Tlp.GREEN, EXPIRES_SOON))).isEqualTo(VersionChange.NARROWED);
        assertThat(change(version(Tlp.GREEN, EXPIRES_SOON), version(Tlp.GREEN, EXPIRES_LATER))).isEqualTo(VersionChange.WIDENED);
    }

    @Test
    void aChangeThatNarrowsOneAspectNarrowsEvenIfItWidensAnother()
    {
        assertThat(change(version(Tlp.AMBER), version(Tlp.GREEN, H2))).isEqualTo(VersionChange.NARROWED);
        // Rules select on evaluation codes with minimums: a change either way cannot be ranked, so it is followed.
        assertThat(change(version(Tlp.AMBER, RELIABLE), version(Tlp.GREEN, UNRELIABLE))).isEqualTo(VersionChange.NARROWED);
        assertThat(change(version(Tlp.GREEN, UNRELIABLE), version(Tlp.GREEN, RELIABLE))).isEqualTo(VersionChange.NARROWED);
    }

    @Test
    void contentLabelsRevocationAndFirstVersions()
    {
        ObjectNode renamed = version(Tlp.GREEN);
        renamed.put("name", "renamed");
        assertThat(change(version(Tlp.GREEN), renamed)).isEqualTo(VersionChange.UNCHANGED);
        ObjectNode labelled = version(Tlp.GREEN);
        labelled.putArray("labels").add("internal");
        assertThat(change(version(Tlp.GREEN), labelled)).as("rules select by label").isEqualTo(VersionChange.NARROWED);
        ObjectNode revoked = version(Tlp.GREEN);
        revoked.put("revoked", true);
        assertThat(change(version(Tlp.GREEN), revoked)).isEqualTo(VersionChange.REVOKED);
        assertThat(VersionChange.between(Optional.empty(), version(Tlp.AMBER), RESOLVER)).isEqualTo(VersionChange.FIRST);
        ObjectNode unresolvable = version(Tlp.GREEN, TestObjects.marking(VigieMarking.empty().withPap(Pap.AMBER)));
        assertThat(change(version(Tlp.GREEN), unresolvable)).as("a marking this node cannot read").isEqualTo(VersionChange.NARROWED);
    }

    private static VersionChange change(JsonNode previous, JsonNode current)
    {
        return VersionChange.between(Optional.of(previous), current, RESOLVER);
    }

    private static ObjectNode version(Tlp tlp, ObjectNode... markings)
    {
        String[] ids = new String[markings.length];
        for (int index = 0; index < markings.length; index++) {
            ids[index] = idOf(markings[index]);
        }
        return TestObjects.indicator(1, tlp, ids);
    }
}
