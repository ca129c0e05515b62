package org.vigie.console;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.exchange.marking.EvaluationCode;
import org.vigie.exchange.marking.HandlingCode;
import org.vigie.exchange.marking.HandlingCondition;
import org.vigie.exchange.marking.Pap;
import org.vigie.exchange.marking.VigieMarking;
import org.vigie.stix.markings.TlpMarkings;
import tools.jackson.databind.JsonNode;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The markings an author chooses in the console before the first save: a TLP 2.0 level (required) and,
 * optionally, the Vigie handling extension's handling code (H0 to H3, with a condition), PAP and
 * evaluation code (source reliability A to F, information credibility 1 to 6), which become one
 * marking-definition of that extension.
 */
record AuthoredMarkings(TlpMarkings.Tlp tlp, Optional<HandlingCondition> handling, Optional<Pap> pap, Optional<EvaluationCode> evaluation)
{
    AuthoredMarkings
    {
        requireNonNull(tlp, "tlp is null");
        requireNonNull(handling, "handling is null");
        requireNonNull(pap, "pap is null");
        requireNonNull(evaluation, "evaluation is null");
    }

    static AuthoredMarkings tlpOnly(TlpMarkings.Tlp tlp)
    {
        return new AuthoredMarkings(tlp, Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** From an authoring request's "tlp", "handling", "handling_condition", "pap" and "evaluation"; blank means none. */
    static AuthoredMarkings fromRequest(JsonNode body)
    {
        TlpMarkings.Tlp tlp = tlp(ConsoleJson.text(body, "tlp"));
        Optional<String> condition = choice(body, "handling_condition");
        Optional<HandlingCondition> handling = choice(body, "handling").map(code -> new HandlingCondition(HandlingCode.fromName(code)
                .orElseThrow(() -> new VigieException(ErrorCode.INVALID_ARGUMENT, "authoring: handling '" + code + "' is not a handling code: H0, H1, H2 or H3")), condition));
        if (handling.isEmpty() && condition.isPresent()) {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, "authoring: a handling_condition needs a handling code (H0 to H3)");
        }
        if (handling.isPresent() && handling.get().code() == HandlingCode.H3 && condition.isEmpty()) {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, "authoring: handling code H3 (other restrictions) needs a handling_condition stating them");
        }
        Optional<Pap> pap = choice(body, "pap").map(label -> Pap.fromLabel(label)
                .orElseThrow(() -> new VigieException(ErrorCode.INVALID_ARGUMENT, "authoring: pap '" + label + "' is not a PAP level: clear, green, amber or red")));
        Optional<EvaluationCode> evaluation;
        try {
            evaluation = choice(body, "evaluation").map(EvaluationCode::parse);
        }
        catch (VigieException e) {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, "authoring: " + e.getMessage(), e);
        }
        return new AuthoredMarkings(tlp, handling, pap, evaluation);
    }

    /** The Vigie handling marking to store beside the object, empty when only a TLP level was chosen. */
    Optional<VigieMarking> vigieMarking()
    {
        if (handling.isEmpty() && pap.isEmpty() && evaluation.isEmpty()) {
            return Optional.empty();
        }
        VigieMarking marking = VigieMarking.empty();
        if (handling.isPresent()) {
            marking = marking.withHandling(handling.get().code(), handling.get().condition());
        }
        if (pap.isPresent()) {
            marking = marking.withPap(pap.get());
        }
        if (evaluation.isPresent()) {
            marking = marking.withEvaluation(evaluation.get());
        }
        return Optional.of(marking);
    }

    static TlpMarkings.Tlp tlp(String level)
    {
        if (level == null || level.isBlank()) {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, "choose a TLP marking before saving: clear, green, amber, amber+strict or red");
        }
        for (TlpMarkings.Tlp tlp : TlpMarkings.Tlp.values()) {
            if (tlp.level().equals(level.strip().toLowerCase(Locale.ROOT))) {
                return tlp;
            }
        }
        throw new VigieException(ErrorCode.INVALID_ARGUMENT, "'" + level + "' is not a TLP 2.0 level: "
                + String.join(", ", Arrays.stream(TlpMarkings.Tlp.values()).map(TlpMarkings.Tlp::level).toList()));
    }

    private static Optional<String> choice(JsonNode body, String property)
    {
        JsonNode value = body.get(property);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isString()) {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, "authoring: \"" + property + "\" must be a string, not " + value);
        }
        return Optional.of(value.stringValue().strip()).filter(text -> !text.isEmpty());
    }
}
