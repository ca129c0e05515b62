package org.vigie.exchange.audit;

import org.vigie.exchange.canonical.CanonicalJson;
import org.vigie.exchange.envelope.Envelope;
import org.vigie.exchange.envelope.VerificationResult;
import org.vigie.exchange.envelope.WithheldReferenceNotice;
import org.vigie.exchange.policy.ReleasePlan;
import org.vigie.exchange.policy.ReleasePolicy;
import org.vigie.exchange.policy.WithheldReference;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The ledger records for the exchange's events, so every egress and ingress is described alike. */
public final class AuditRecords
{
    private AuditRecords() {}

    /** A push or export: what went to whom, under which handling, and what was cut (targets included: this stays local). */
    public static AuditRecord release(String actor, ReleasePlan plan, Optional<Envelope> envelope)
    {
        return new AuditRecord(AuditKind.RELEASE, actor, Optional.of(plan.partnerId()), plan.releasedObjectIds(), plan.handling(),
                envelope.map(Envelope::id), summary(plan) + envelope.map(value -> "; sequence " + value.sequence()).orElse(""));
    }

    /** A partner's TAXII read, filtered by the same planner. */
    public static AuditRecord partnerRead(String actor, ReleasePlan plan)
    {
        return new AuditRecord(AuditKind.PARTNER_READ, actor, Optional.of(plan.partnerId()), plan.releasedObjectIds(), plan.handling(), Optional.empty(), summary(plan));
    }

    /**
     * An envelope stored: what came from whom under which handling, and where the sender cut references
     * ({@code <object id> <property path>}, as the envelope lists them; the sender never names the withheld
     * targets), so the receiver knows durably which of its objects lack references.
     */
    public static AuditRecord receipt(Envelope envelope, String senderPartnerId)
    {
        List<String> objectIds = new ArrayList<>();
        for (JsonNode object : envelope.bundle().path("objects").values()) {
            objectIds.add(object.path("id").asString(""));
        }
        StringBuilder detail = new StringBuilder("sequence ").append(envelope.sequence()).append(", ")
                .append(envelope.withheldReferences().size()).append(" reference(s) withheld by the sender");
        String separator = ": ";
        for (WithheldReferenceNotice notice : envelope.withheldReferences()) {
            detail.append(separator).append(notice.objectId()).append(' ').append(notice.path());
            separator = ", ";
        }
        return new AuditRecord(AuditKind.RECEIPT, "partner:" + senderPartnerId, Optional.of(senderPartnerId), objectIds, envelope.handling(),
                Optional.of(envelope.id()), detail.toString());
    }

    public static AuditRecord rejection(VerificationResult.Rejected rejected, Optional<String> senderPartnerId)
    {
        return new AuditRecord(AuditKind.REJECTION, senderPartnerId.map(id -> "partner:" + id).orElse("unknown"), senderPartnerId, List.of(), List.of(),
                rejected.envelopeId(), rejected.reason() + ": " + rejected.detail());
    }

    /** Records the new policy by name and the SHA-256 of its canonical JSON. */
    public static AuditRecord policyChange(String actor, ReleasePolicy policy)
    {
        return new AuditRecord(AuditKind.POLICY_CHANGE, actor, Optional.empty(), List.of(), List.of(), Optional.empty(),
                "policy '" + policy.name() + "' with " + policy.rules().size() + " rule(s), sha256 " + CanonicalJson.sha256Hex(policy.toJson()));
    }

    public static AuditRecord partnerChange(String actor, String partnerId, String change)
    {
        return new AuditRecord(AuditKind.PARTNER_CHANGE, actor, Optional.of(partnerId), List.of(), List.of(), Optional.empty(), change);
    }

    private static String summary(ReleasePlan plan)
    {
        StringBuilder detail = new StringBuilder()
                .append(plan.releasedObjectIds().size()).append(" released, ")
                .append(plan.withheld().size()).append(" withheld");
        if (!plan.withheldReferences().isEmpty()) {
            detail.append("; cut references:");
            for (WithheldReference reference : plan.withheldReferences()) {
                detail.append(' ').append(reference.objectId()).append('.').append(reference.path()).append("->").append(reference.targetId());
            }
        }
        return detail.toString();
    }
}
