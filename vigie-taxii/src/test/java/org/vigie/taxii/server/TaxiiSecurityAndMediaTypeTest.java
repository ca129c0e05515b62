package org.vigie.taxii.server;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.store.ObjectStores;
import org.vigie.taxii.auth.UserAdministration;
import org.vigie.taxii.client.ClientCredentials;
import org.vigie.taxii.client.ObjectsQuery;
import org.vigie.taxii.client.RetryPolicy;
import org.vigie.taxii.client.TaxiiClient;
import org.vigie.taxii.testing.MutableClock;
import org.vigie.taxii.testing.StixFixtures;
import org.vigie.taxii.testing.TestNode;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.vigie.taxii.testing.TestNode.PASSWORD;
import static org.vigie.taxii.testing.TestNode.SHARED;

/** Authentication (401), rights (403/404), media types (406/415), size limits (413) and contributed routes. */
class TaxiiSecurityAndMediaTypeTest
{
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final String TAXII = TaxiiClient.TAXII_MEDIA_TYPE;
    private static final String OBJECTS = "/vigie/collections/" + SHARED + "/objects/";

    private TestNode node;
    private final StixFixtures fixtures = new StixFixtures(7);

    @BeforeEach
    void setUp()
    {
        node = TestNode.start(Map.of("taxii.max-content-length", "4096"));
    }

    @AfterEach
    void tearDown()
    {
        node.close();
    }

    @Test
    void requestsWithoutCredentialsAreUnauthenticatedWithAChallenge()
    {
        for (String path : List.of("/taxii2/", "/vigie/", "/vigie/collections/", OBJECTS, "/vigie/status/x/")) {
            HttpResponse<String> response = node.send("GET", path, null, "Accept", TAXII);
            assertThat(response.statusCode()).as(path).isEqualTo(401);
            assertThat(response.headers().allValues("WWW-Authenticate")).as(path).anySatisfy(value -> assertThat(value).startsWith("Basic realm="));
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/taxii+json"));
            JsonNode error = MAPPER.readTree(response.body());
            assertThat(error.path("error_code").asString()).isEqualTo(ErrorCode.AUTHENTICATION_REQUIRED.code());
            assertThat(error.path("http_status").asString()).isEqualTo("401");
            assertThat(error.path("title").asString()).isNotBlank();
            assertThat(response.headers().firstValue("Server")).isEmpty();
        }
    }

    @Test
    void wrongPasswordsUnknownUsersAndBadSchemesAreUnauthenticated()
    {
        assertThat(node.send("GET", "/vigie/", null, "Authorization", TestNode.basic("analyst", "wrong")).statusCode()).isEqualTo(401);
        assertThat(node.send("GET", "/vigie/", null, "Authorization", TestNode.basic("nobody", PASSWORD)).statusCode()).isEqualTo(401);
        assertThat(node.send("GET", "/vigie/", null, "Authorization", "Basic !!!").statusCode()).isEqualTo(401);
        assertThat(node.send("GET", "/vigie/", null, "Authorization", "Digest abc").statusCode()).isEqualTo(401);
        assertThat(node.send("GET", "/vigie/", null, "Authorization", TestNode.basic("analyst", PASSWORD)).statusCode()).isEqualTo(200);
        assertThatThrownBy(() -> TaxiiClient.builder(node.server().baseUri()).credentials(ClientCredentials.basic("analyst", "wrong")).retryPolicy(RetryPolicy.none()).build().apiRoot())
                .isInstanceOfSatisfying(VigieException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.AUTHENTICATION_REQUIRED));
    }

    @Test
    void bearerTokensAuthenticateTheirUser()
    {
        UserAdministration.IssuedToken token = node.users().createToken("reader");
        TaxiiClient client = TaxiiClient.builder(node.server().baseUri()).credentials(ClientCredentials.bearer(token.token())).retryPolicy(RetryPolicy.none()).build();
        assertThat(client.collections()).extracting(collection -> collection.canWrite()).containsExactly(false);
        // The store keeps a slow hash of the secret, never the secret.
        String secret = token.token().substring(token.token().indexOf('.') + 1);
        assertThat(node.store().findToken(token.id()).orElseThrow().secretHash()).startsWith("pbkdf2-sha256$").doesNotContain(secret);

        String wrongSecret = token.id() + ".AAAA";
        assertThat(node.send("GET", "/vigie/", null, "Authorization", "Bearer " + wrongSecret).statusCode()).isEqualTo(401);
        assertThat(node.send("GET", "/vigie/", null, "Authorization", "Bearer unknown.secret").statusCode()).isEqualTo(401);
        assertThat(node.send("GET", "/vigie/", null, "Authorization", "Bearer no-dot").statusCode()).isEqualTo(401);
    }

    @Test
    void rightsDecideBetweenForbiddenAndNotFound()
    {
        String body = "{\"objects\":[" + StixFixtures.malware(fixtures.newId("malware"), Instant.parse("2025-01-01T00:00:00Z")) + "]}";
        // reader sees the collection but may not write: 403.
        assertThat(post("reader", body).statusCode()).isEqualTo(403);
        // writer may write but not read: 403 on every read endpoint, 202 on POST.
        assertThat(post("writer", body).statusCode()).isEqualTo(202);
        for (String path : List.of(OBJECTS, "/vigie/collections/" + SHARED + "/manifest/")) {
            HttpResponse<String> response = node.get(path, "writer");
            assertThat(response.statusCode()).as(path).isEqualTo(403);
            assertThat(MAPPER.readTree(response.body()).path("error_code").asString()).isEqualTo(ErrorCode.ACCESS_DENIED.code());
        }
        // outsider may not know the collection exists: 404 everywhere, as for a missing collection.
        assertThat(node.get(OBJECTS, "outsider").statusCode()).isEqualTo(404);
        assertThat(post("outsider", body).statusCode()).isEqualTo(404);
        assertThat(node.get("/vigie/collections/" + SHARED + "/", "outsider").statusCode()).isEqualTo(404);
        assertThat(node.client("outsider").collections()).isEmpty();
        // A user with rights on every collection gets 404 for a collection that does not exist.
        assertThat(node.get("/vigie/collections/6f7a1b2c-0000-4000-8000-0000000000ff/objects/", "admin").statusCode()).isEqualTo(404);
    }

    @Test
    void unacceptableAcceptHeadersAreRefused()
    {
        for (String accept : List.of("application/json", "application/taxii+json;version=2.0", "text/html", "application/taxii+json;version=2.1;q=0")) {
            HttpResponse<String> response = node.send("GET", "/vigie/", null, "Authorization", TestNode.basic("analyst", PASSWORD), "Accept", accept);
            assertThat(response.statusCode()).as(accept).isEqualTo(406);
            assertThat(MAPPER.readTree(response.body()).path("error_code").asString()).isEqualTo(ErrorCode.NOT_ACCEPTABLE.code());
        }
        for (String accept : List.of("application/taxii+json;version=2.1", "application/taxii+json", "*/*", "application/*", "text/html, application/taxii+json; version=2.1")) {
            HttpResponse<String> response = node.send("GET", "/vigie/", null, "Authorization", TestNode.basic("analyst", PASSWORD), "Accept", accept);
            assertThat(response.statusCode()).as(accept).isEqualTo(200);
        }
    }

    @Test
    void wrongContentTypesAreUnsupported()
    {
        String body = "{\"objects\":[]}";
        for (String contentType : List.of("application/json", "application/stix+json;version=2.1", "application/taxii+json;version=2.0", "text/plain")) {
            HttpResponse<String> response = node.send("POST", OBJECTS, body, "Authorization", TestNode.basic("analyst", PASSWORD), "Content-Type", contentType);
            assertThat(response.statusCode()).as(contentType).isEqualTo(415);
            assertThat(MAPPER.readTree(response.body()).path("error_code").asString()).isEqualTo(ErrorCode.UNSUPPORTED_MEDIA_TYPE.code());
        }
        assertThat(node.send("POST", OBJECTS, body, "Authorization", TestNode.basic("analyst", PASSWORD)).statusCode()).isEqualTo(415);
        assertThat(post("analyst", body).statusCode()).isEqualTo(202);
    }

    @Test
    void bodiesLargerThanMaxContentLengthAreTooLarge()
    {
        StringBuilder objects = new StringBuilder();
        Instant created = Instant.parse("2025-01-01T00:00:00Z");
        while (objects.length() < 5000) {
            objects.append(objects.isEmpty() ? "" : ",").append(StixFixtures.malware(fixtures.newId("malware"), created));
        }
        HttpResponse<String> response = post("analyst", "{\"objects\":[" + objects + "]}");
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(MAPPER.readTree(response.body()).path("error_code").asString()).isEqualTo(ErrorCode.CONTENT_TOO_LARGE.code());
        assertThat(node.store().countObjects(SHARED)).isZero();
        assertThat(node.client("analyst").apiRoot().maxContentLength()).isEqualTo(4096);
    }

    @Test
    void unknownRoutesAndMethodsAnswerTaxiiErrors()
    {
        HttpResponse<String> response = node.get("/vigie/no-such-resource/", "analyst");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(MAPPER.readTree(response.body()).path("http_status").asString()).isEqualTo("404");
        HttpResponse<String> wrongMethod = node.send("PUT", "/vigie/collections/", "{}", "Authorization", TestNode.basic("analyst", PASSWORD));
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(MAPPER.readTree(wrongMethod.body()).path("http_status").asString()).isEqualTo("405");
    }

    @Test
    void cachedVerificationsExpireWithTheClock()
    {
        assertThat(node.get("/vigie/", "analyst").statusCode()).isEqualTo(200);
        node.users().changePassword("analyst", "a new password");
        // Within the cache time the old verification still stands; after it, the new password rules.
        assertThat(node.get("/vigie/", "analyst").statusCode()).isEqualTo(200);
        node.clock().advance(TaxiiServerConfig.DEFAULT_AUTHENTICATION_CACHE_TIME.plus(Duration.ofSeconds(1)));
        assertThat(node.get("/vigie/", "analyst").statusCode()).isEqualTo(401);
        assertThat(node.send("GET", "/vigie/", null, "Authorization", TestNode.basic("analyst", "a new password")).statusCode()).isEqualTo(200);
    }

    @Test
    void contributedRoutesShareAuthenticationAndErrors()
    {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        RouteContributor contributor = routes -> {
            routes.get("/api/whoami", (context, user) -> context.result(user.name() + " " + user.method()));
            routes.get("/api/forbidden", (context, user) -> {
                throw TaxiiErrors.forbidden("user " + user.name() + " may not screen");
            });
            routes.publicGet("/health", context -> context.result("ok"));
            routes.get("/api/broken", (context, user) -> {
                throw new IllegalStateException("secret internal detail");
            });
        };
        try (TestNode contributed = new TestNode(ObjectStores.inMemory(clock), clock, TaxiiServerConfig.defaults().withPort(0), List.of(contributor))) {
            assertThat(contributed.send("GET", "/api/whoami", null).statusCode()).isEqualTo(401);
            HttpResponse<String> whoami = contributed.send("GET", "/api/whoami", null, "Authorization", TestNode.basic("reader", PASSWORD));
            assertThat(whoami.statusCode()).isEqualTo(200);
            assertThat(whoami.body()).isEqualTo("reader BASIC");
            HttpResponse<String> forbidden = contributed.send("GET", "/api/forbidden", null, "Authorization", TestNode.basic("reader", PASSWORD));
            assertThat(forbidden.statusCode()).isEqualTo(403);
            assertThat(MAPPER.readTree(forbidden.body()).path("description").asString()).isEqualTo("user reader may not screen");
            assertThat(contributed.send("GET", "/health", null).body()).isEqualTo("ok");
            // Unexpected failures answer 500 with an error id and no internals.
            HttpResponse<String> broken = contributed.send("GET", "/api/broken", null, "Authorization", TestNode.basic("reader", PASSWORD));
            assertThat(broken.statusCode()).isEqualTo(500);
            assertThat(broken.body()).doesNotContain("secret internal detail").doesNotContain("IllegalStateException");
            assertThat(MAPPER.readTree(broken.body()).path("description").asString()).startsWith("internal error ");
            // A second server cannot take the same port.
            TaxiiServerConfig samePort = TaxiiServerConfig.defaults().withPort(contributed.server().port());
            assertThatThrownBy(() -> TaxiiServer.start(samePort, contributed.store(), clock, TestNode.FAST_HASHER, List.of()))
                    .isInstanceOfSatisfying(VigieException.class, e -> {
                        assertThat(e.errorCode()).isEqualTo(ErrorCode.NODE_START_FAILED);
                        assertThat(e.getMessage()).contains("127.0.0.1:" + contributed.server().port());
                    });
            assertThat(contributed.client("analyst").getObjects(SHARED, ObjectsQuery.all()).objects()).isEmpty();
        }
    }

    private HttpResponse<String> post(String user, String body)
    {
        return node.send("POST", OBJECTS, body, "Authorization", TestNode.basic(user, PASSWORD), "Accept", TAXII, "Content-Type", TAXII);
    }
}
