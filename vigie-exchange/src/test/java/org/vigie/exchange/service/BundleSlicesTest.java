package org.vigie.exchange.service;

import com.nimbusds.jose.jwk.OctetKeyPair;
import org.junit.jupiter.api.Test;
import org.vigie.exchange.envelope.Envelope;
import org.vigie.exchange.envelope.EnvelopeSigner;
import org.vigie.exchange.marking.Tlp;
import org.vigie.exchange.testing.TestObjects;
import org.vigie.exchange.testing.TestPartners;
import org.vigie.stix.json.StixJson;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The objects cut from a signed envelope's canonical payload are, text for text, the bundle's objects. */
class BundleSlicesTest
{
    @Test
    void slicesAreTheBundlesObjectsWithAwkwardStrings()
    {
        Random random = new Random(5);
        List<JsonNode> objects = new ArrayList<>();
        for (int number = 1; number <= 40; number++) {
            ObjectNode indicator = TestObjects.indicator(number, Tlp.GREEN);
            // Quotes, backslashes, brackets, commas, control characters and non-ASCII inside strings must not cut.
            indicator.put("description", "a \"quoted\" \\ [x], {y}: " + (char) random.nextInt(32) + " é 𝄞 " + number);
            indicator.putArray("labels").add("l,1").add("]");
            indicator.put("confidence", random.nextInt(101));
            objects.add(indicator);
        }
        ObjectNode bundle = JsonNodeFactory.instance.objectNode();
        bundle.put("type", "bundle");
        bundle.put("id", "bundle--" + new java.util.UUID(1, 2));
        bundle.putArray("objects").addAll(objects);
        OctetKeyPair key = TestPartners.newKey("a");
        Envelope envelope = new Envelope("envelope--" + new java.util.UUID(3, 4), TestPartners.identityOf("a"), TestPartners.identityOf("b"), 7,
                Instant.parse("2026-04-01T10:00:00Z"), List.of("TLP:GREEN"), List.of(), bundle);
        String jws = EnvelopeSigner.ed25519(key, TestPartners.identityOf("a")).sign(envelope);

        List<String> slices = BundleSlices.objects(jws).orElseThrow();

        assertThat(slices).hasSize(objects.size());
        for (int index = 0; index < objects.size(); index++) {
            assertThat(StixJson.parse(slices.get(index))).isEqualTo(objects.get(index));
        }
    }

    @Test
    void somethingThatIsNotAJwsIsNotCut()
    {
        assertThat(BundleSlices.objects("not a jws")).isEmpty();
        assertThat(BundleSlices.objects("a.%%%.b")).isEmpty();
        // Decodes, but is cut short: not an envelope's shape.
        assertThat(BundleSlices.objects("a." + java.util.Base64.getUrlEncoder().encodeToString("{\"bundle\":{\"objects\":[{\"a\":".getBytes()) + ".b")).isEmpty();
    }
}
