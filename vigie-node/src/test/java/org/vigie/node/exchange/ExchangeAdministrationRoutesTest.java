package org.vigie.node.exchange;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigie.node.server.VigieNode;
import org.vigie.stix.StixObject;
import org.vigie.stix.json.StixJson;
import org.vigie.stix.markings.TlpMarkings;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP administration of partners, trust groups and the release policy on a running node A, over real
 * HTTPS: every operation, validation errors (400 naming what, where and why, nothing stored), 404 and 409,
 * refusal of a non-administrator (403), the ledger entries (same as the commands', actor {@code http:<user>}),
 * and a partner B added over HTTP then receives a release over mutual TLS.
 */
class ExchangeAdministrationRoutesTest
{
    private static final String PARTNERS = "admin/exchange/partners";
    private static final String GROUPS = "admin/exchange/groups";
    private static final String POLICY = "admin/exchange/policy";

    private HttpClient http;
    private VigieNode nodeA;
    private String administrator;

    @Test
    void administratorsManagePartnersGroupsAndPolicyOverHttp(@TempDir Path directory)
            throws Exception
    {
        TwoNodes.Node a = TwoNodes.node(directory, "a");
        TwoNodes.Node b = TwoNodes.node(directory, "b");
        TwoNodes.trust(a, b);
        TwoNodes.trust(b, a);
        TwoNodes.Identity identityA = TwoNodes.identity(directory, a);
        TwoNodes.Identity identityB = TwoNodes.identity(directory, b);
        // B knows A from the command line; A learns B over HTTP.
        TwoNodes.partner(b, a, identityA);
        TwoNodes.cliWithInput("administrator-password\n", "user", "add", "--data-dir", a.data().toString(), "root", "--password-stdin", "--admin");
        TwoNodes.cliWithInput("analyst-password\n", "user", "add", "--data-dir", a.data().toString(), "analyst", "--password-stdin", "--read", "*");
        String certificate = Files.readString(b.certificate());
        String signingKey = Files.readString(identityB.signingKey());

        try (VigieNode startedA = TwoNodes.start(a); VigieNode nodeB = TwoNodes.start(b)) {
            nodeA = startedA;
            http = TwoNodes.client(b);
            administrator = basic("root", "administrator-password");

            assertThat(send("GET", PARTNERS, null).body()).isEqualTo("{\"partners\":[]}");

            // Bad input: 400 with what, where and why, as a TAXII error resource; nothing is stored.
            String valid = partnerJson("b", identityB.identityId(), "https://127.0.0.1:" + b.port() + "/", certificate, signingKey);
            assertError(send("POST", PARTNERS, valid.replace("https://127.0.0.1", "http://127.0.0.1")), 400,
                    "partner b: endpoint 'http://127.0.0.1:" + b.port() + "/' must be an https URL");
            assertError(send("POST", PARTNERS, partnerJson("b", identityB.identityId(), "https://127.0.0.1/", "not a certificate", signingKey)), 400,
                    "partner b: property 'certificate' is not an X.509 certificate in PEM or DER form");
            assertError(send("POST", PARTNERS, partnerJson("b", identityB.identityId(), "https://127.0.0.1/", certificate, "{\"kty\":\"RSA\"}")), 400,
                    "partner b: property 'signing_key' is not an Ed25519 JWK");
            assertError(send("POST", PARTNERS, partnerJson("b", "indicator--" + UUID.randomUUID(), "https://127.0.0.1/", certificate, signingKey)), 400,
                    "is not a STIX identity id");
            assertError(send("POST", PARTNERS, partnerJson("b c", identityB.identityId(), "https://127.0.0.1/", certificate, signingKey)), 400,
                    "partner id 'b c' must be 1 to 128 letters");
            assertError(send("POST", PARTNERS, "{\"id\":\"b\",\"endpiont\":\"https://127.0.0.1/\"}"), 400,
                    "POST /admin/exchange/partners: unknown property 'endpiont'");
            assertError(send("POST", PARTNERS, "{\"id\":\"b\"}"), 400, "POST /admin/exchange/partners: property 'identity_id' is required");
            assertError(send("POST", PARTNERS, "{\"id\":"), 400, "POST /admin/exchange/partners: the body is not valid JSON");
            assertThat(StixJson.parse(send("GET", PARTNERS, null).body()).path("partners").isEmpty()).isTrue();

            HttpResponse<String> added = send("POST", PARTNERS, valid);
            assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
            JsonNode partner = StixJson.parse(added.body());
            assertThat(partner.path("id").asString()).isEqualTo("b");
            assertThat(partner.path("identity_id").asString()).isEqualTo(identityB.identityId());
            assertThat(partner.path("certificate_sha256").asString()).isEqualTo(Certificates.fingerprint(Certificates.read(b.certificate(), "certificate")));
            assertThat(partner.path("signing_key").path("x").asString()).isEqualTo(StixJson.parse(signingKey).path("x").asString());
            assertError(send("POST", PARTNERS, valid), 409, "partner 'b' is already registered");
            assertError(send("GET", PARTNERS + "/nobody", null), 404, "no partner with id 'nobody'");

            HttpResponse<String> renamed = send("PUT", PARTNERS + "/b", "{\"name\":\"Node B\"}");
            assertThat(renamed.statusCode()).as(renamed.body()).isEqualTo(200);
            JsonNode shown = StixJson.parse(send("GET", PARTNERS + "/b", null).body());
            assertThat(shown.path("name").asString()).isEqualTo("Node B");
            assertThat(shown.path("certificate_sha256").asString()).isEqualTo(partner.path("certificate_sha256").asString());
            assertError(send("PUT", PARTNERS + "/b", "{\"id\":\"c\"}"), 400, "a partner's id cannot change");
            assertError(send("PUT", PARTNERS + "/nobody", "{\"name\":\"x\"}"), 404, "no partner with id 'nobody'");

            // Trust groups.
            assertError(send("POST", GROUPS, "{\"id\":\"forum\",\"kind\":\"trilateral\",\"members\":[\"b\"]}"), 400, "trust group forum: kind 'trilateral' must be bilateral or multilateral");
            assertError(send("POST", GROUPS, "{\"id\":\"forum\",\"kind\":\"multilateral\",\"members\":[\"b\",\"zz\"]}"), 404, "trust group forum: member 'zz' is not a registered partner");
            assertError(send("POST", GROUPS, "{\"id\":\"forum\",\"kind\":\"multilateral\",\"members\":[]}"), 400, "property 'members' is required");
            HttpResponse<String> created = send("POST", GROUPS, "{\"id\":\"forum\",\"name\":\"EU forum\",\"kind\":\"multilateral\",\"members\":[\"b\"]}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            assertThat(created.body()).isEqualTo("{\"id\":\"forum\",\"name\":\"EU forum\",\"kind\":\"multilateral\",\"members\":[\"b\"]}");
            assertError(send("POST", GROUPS, "{\"id\":\"forum\",\"kind\":\"multilateral\",\"members\":[\"b\"]}"), 409, "trust group 'forum' already exists");
            HttpResponse<String> pair = send("POST", GROUPS, "{\"id\":\"pair\",\"kind\":\"bilateral\",\"members\":[\"b\"]}");
            assertThat(pair.statusCode()).as(pair.body()).isEqualTo(201);
            assertError(send("PUT", GROUPS + "/pair/members", "{\"members\":[\"b\",\"b2\"]}"), 400, "bilateral trust group pair must have exactly one partner, not 2");
            assertError(send("PUT", GROUPS + "/forum/members", "{\"members\":[\"b\",\"b2\"]}"), 404, "trust group forum: member 'b2' is not a registered partner");
            assertThat(send("PUT", GROUPS + "/forum/members", "{\"members\":[\"b\"]}").statusCode()).isEqualTo(200);
            assertThat(StixJson.parse(send("GET", PARTNERS + "/b", null).body()).path("groups").toString()).isEqualTo("[\"forum\",\"pair\"]");
            assertThat(send("DELETE", GROUPS + "/pair", null).statusCode()).isEqualTo(200);
            assertError(send("GET", GROUPS + "/pair", null), 404, "no trust group with id 'pair'");
            assertThat(StixJson.parse(send("GET", GROUPS, null).body()).path("groups").values()).extracting(group -> group.path("id").asString()).containsExactly("forum");

            // The release policy: none stored (deny all), a bad one refused, a good one in effect.
            JsonNode noPolicy = StixJson.parse(send("GET", POLICY, null).body());
            assertThat(noPolicy.path("stored").asBoolean()).isFalse();
            assertError(send("PUT", POLICY, "{\"name\":\"p\",\"rules\":[{\"name\":\"r\",\"effect\":\"allow\",\"groups\":[\"forum\"],\"max_pap\":\"blue\"}]}"), 400,
                    "PUT /admin/exchange/policy: release policy 'p', rules[0] ('r'): max_pap 'blue' is not one of clear, green, amber, red");
            String policy = "{\"name\":\"forum gets green\",\"rules\":[{\"name\":\"green\",\"effect\":\"allow\",\"groups\":[\"forum\"],\"max_tlp\":\"green\"}]}";
            HttpResponse<String> set = send("PUT", POLICY, policy);
            assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
            JsonNode inEffect = StixJson.parse(send("GET", POLICY, null).body());
            assertThat(inEffect.path("stored").asBoolean()).isTrue();
            assertThat(inEffect.path("policy").path("name").asString()).isEqualTo("forum gets green");
            assertThat(inEffect.path("sha256").asString()).hasSize(64);

            // A user who is not an administrator is refused everything, reads included.
            String analyst = basic("analyst", "analyst-password");
            for (String[] request : List.of(new String[] {"GET", PARTNERS}, new String[] {"POST", GROUPS}, new String[] {"PUT", POLICY}, new String[] {"DELETE", PARTNERS + "/b"})) {
                HttpResponse<String> refused = send(request[0], request[1], request[0].equals("GET") || request[0].equals("DELETE") ? null : "{}", analyst);
                assertError(refused, 403, "administration is for administrators only, and analyst is not one");
            }

            // The partner added over HTTP receives a release from A over mutual TLS.
            String indicator = "indicator--" + UUID.randomUUID();
            String collection = nodeA.initialization().createdCollection().orElseThrow().id();
            nodeA.store().addObjects(collection, List.of(StixObject.fromJson(TlpMarkings.Tlp.GREEN.json()), StixObject.fromJson(
                    "{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"id\":\"" + indicator + "\",\"created\":\"2026-01-01T00:00:00.000Z\","
                            + "\"modified\":\"2026-01-01T00:00:00.000Z\",\"pattern\":\"[ipv4-addr:value = '203.0.113.9']\",\"pattern_type\":\"stix\","
                            + "\"valid_from\":\"2026-01-01T00:00:00Z\",\"object_marking_refs\":[\"" + TlpMarkings.Tlp.GREEN.id() + "\"]}")));
            HttpResponse<String> released = send("POST", "console/api/sharing/release", "{\"objects\":[\"" + indicator + "\"],\"groups\":[\"forum\"]}");
            assertThat(released.statusCode()).as(released.body()).isEqualTo(200);
            assertThat(released.body()).contains("\"queued\":true");
            TwoNodes.awaitStored(nodeB, "exchange-inbound", indicator);

            HttpResponse<String> removed = send("DELETE", PARTNERS + "/b", null);
            assertThat(removed.statusCode()).as(removed.body()).isEqualTo(200);
            assertError(send("GET", PARTNERS + "/b", null), 404, "no partner with id 'b'");
            assertError(send("DELETE", PARTNERS + "/b", null), 404, "no partner with id 'b'");
        }

        // Every change is in A's ledger, as the commands record theirs, with the HTTP user as actor.
        String actor = "http:root";
        List<String> changes = TwoNodes.cli("audit", "query", "--data-dir", a.data().toString(), "--kind", "partner_change").lines().toList();
        assertThat(changes).allSatisfy(line -> assertThat(line).contains("PARTNER_CHANGE\tb\t" + actor));
        assertThat(String.join("\n", changes)).contains("added partner b (" + identityB.identityId(), "changed partner b", "trust group forum (MULTILATERAL) now has members [b]",
                "trust group pair removed", "removed partner b and its trust group memberships");
        assertThat(TwoNodes.cli("audit", "query", "--data-dir", a.data().toString(), "--kind", "policy_change")).contains("POLICY_CHANGE", actor, "forum gets green");
        // The partner changes, the policy change and the release.
        assertThat(TwoNodes.cli("audit", "verify", "--data-dir", a.data().toString())).contains(" verified: " + (changes.size() + 2) + " entries");
    }

    private HttpResponse<String> send(String method, String path, String body)
            throws Exception
    {
        return send(method, path, body, administrator);
    }

    private HttpResponse<String> send(String method, String path, String body, String authorization)
            throws Exception
    {
        HttpRequest.Builder request = HttpRequest.newBuilder(nodeA.baseUri().resolve(URI.create(path))).header("Authorization", authorization)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertError(HttpResponse<String> response, int status, String description)
    {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode error = StixJson.parse(response.body());
        assertThat(error.path("http_status").asString()).isEqualTo(String.valueOf(status));
        assertThat(error.path("error_code").asString()).startsWith("VG-");
        assertThat(error.path("description").asString()).contains(description);
    }

    private static String partnerJson(String id, String identity, String endpoint, String certificate, String signingKey)
    {
        return "{\"id\":" + quote(id) + ",\"identity_id\":" + quote(identity) + ",\"endpoint\":" + quote(endpoint) + ",\"certificate\":" + quote(certificate)
                + ",\"signing_key\":" + signingKey.strip() + "}";
    }

    private static String quote(String text)
    {
        return tools.jackson.databind.node.JsonNodeFactory.instance.stringNode(text).toString();
    }

    private static String basic(String user, String password)
    {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
