package org.vigie.taxii.auth;

import org.junit.jupiter.api.Test;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.store.ObjectStore;
import org.vigie.store.ObjectStores;
import org.vigie.store.UserAccount;
import org.vigie.taxii.testing.MutableClock;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuthenticatorTest
{
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final ObjectStore store = ObjectStores.inMemory(clock);
    private final PasswordHasher hasher = PasswordHasher.withIterations(200);
    private final UserAdministration users = new UserAdministration(store, hasher, clock);

    @Test
    void basicAndBearerCredentialsYieldTheUserAndItsRights()
    {
        users.createUser("carol", "pw", List.of("c1"), List.of("c2"), false);
        Authenticator authenticator = authenticator(Duration.ofMinutes(1));
        AuthenticatedUser basic = authenticator.authenticate(Optional.of(basic("carol", "pw")), Optional.empty());
        assertThat(basic.name()).isEqualTo("carol");
        assertThat(basic.method()).isEqualTo(AuthenticatedUser.Method.BASIC);
        assertThat(basic.canRead("c1")).isTrue();
        assertThat(basic.canWrite("c1")).isFalse();
        assertThat(basic.canWrite("c2")).isTrue();
        assertThat(basic.canSee("c3")).isFalse();

        UserAdministration.IssuedToken token = users.createToken("carol");
        assertThat(token.token()).startsWith(token.id() + ".");
        AuthenticatedUser bearer = authenticator.authenticate(Optional.of("bearer " + token.token()), Optional.empty());
        assertThat(bearer.method()).isEqualTo(AuthenticatedUser.Method.BEARER_TOKEN);
        assertThat(bearer.readCollections()).containsExactly("c1");
    }

    @Test
    void withoutCachingChangesApplyAtOnce()
    {
        users.createUser("dave", "old", List.of(), List.of(), false);
        Authenticator authenticator = authenticator(Duration.ZERO);
        assertThat(authenticator.authenticate(Optional.of(basic("dave", "old")), Optional.empty()).name()).isEqualTo("dave");
        users.changePassword("dave", "new");
        assertUnauthenticated(authenticator, basic("dave", "old"));
        assertThat(authenticator.authenticate(Optional.of(basic("dave", "new")), Optional.empty()).name()).isEqualTo("dave");
    }

    @Test
    void clearingTheCacheAppliesChangesAtOnce()
    {
        users.createUser("erin", "old", List.of(), List.of(), false);
        Authenticator authenticator = authenticator(Duration.ofHours(1));
        authenticator.authenticate(Optional.of(basic("erin", "old")), Optional.empty());
        users.changePassword("erin", "new");
        assertThat(authenticator.authenticate(Optional.of(basic("erin", "old")), Optional.empty()).name()).isEqualTo("erin");
        authenticator.clearCache();
        assertUnauthenticated(authenticator, basic("erin", "old"));
    }

    @Test
    void anExpiredVerificationIsRenewedWithCurrentRightsUnlessTheStoredHashChanged()
    {
        users.createUser("gina", "pw", List.of("c1"), List.of(), false);
        Authenticator authenticator = authenticator(Duration.ofMinutes(1));
        assertThat(authenticator.authenticate(Optional.of(basic("gina", "pw")), Optional.empty()).canRead("c2")).isFalse();
        UserAccount account = store.findUser("gina").orElseThrow();
        store.updateUser(new UserAccount("gina", account.passwordHash(), List.of("c1", "c2"), List.of(), false));
        assertThat(authenticator.authenticate(Optional.of(basic("gina", "pw")), Optional.empty()).canRead("c2")).isFalse();

        clock.advance(Duration.ofMinutes(2));
        assertThat(authenticator.authenticate(Optional.of(basic("gina", "pw")), Optional.empty()).canRead("c2")).isTrue();

        users.changePassword("gina", "new");
        clock.advance(Duration.ofMinutes(2));
        assertUnauthenticated(authenticator, basic("gina", "pw"));
        assertThat(authenticator.authenticate(Optional.of(basic("gina", "new")), Optional.empty()).name()).isEqualTo("gina");

        UserAdministration.IssuedToken token = users.createToken("gina");
        assertThat(authenticator.authenticate(Optional.of("Bearer " + token.token()), Optional.empty()).canRead("c2")).isTrue();
        store.updateUser(new UserAccount("gina", store.findUser("gina").orElseThrow().passwordHash(), List.of(), List.of(), false));
        clock.advance(Duration.ofMinutes(2));
        assertThat(authenticator.authenticate(Optional.of("Bearer " + token.token()), Optional.empty()).canRead("c2")).isFalse();
        String wrongSecret = token.token().substring(0, token.token().indexOf('.') + 1) + "wrong";
        assertUnauthenticated(authenticator, "Bearer " + wrongSecret);
    }

    @Test
    void missingOrMalformedCredentialsAreUnauthenticated()
    {
        Authenticator authenticator = authenticator(Duration.ofMinutes(1));
        assertThatThrownBy(() -> authenticator.authenticate(Optional.empty(), Optional.empty()))
                .isInstanceOfSatisfying(VigieException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.AUTHENTICATION_REQUIRED));
        assertUnauthenticated(authenticator, basic("nobody", "pw"));
        assertUnauthenticated(authenticator, "Basic " + Base64.getEncoder().encodeToString("no colon".getBytes(StandardCharsets.UTF_8)));
        assertUnauthenticated(authenticator, "Bearer .secret");
        assertUnauthenticated(authenticator, "Negotiate xyz");
    }

    @Test
    void userNamesAndPasswordsAreChecked()
    {
        assertThatThrownBy(() -> users.createUser("bad name", "pw", List.of(), List.of(), false)).isInstanceOf(VigieException.class).hasMessageContaining("bad name");
        assertThatThrownBy(() -> users.createUser("frank", "", List.of(), List.of(), false)).isInstanceOf(VigieException.class).hasMessageContaining("frank");
        assertThatThrownBy(() -> users.createToken("nobody")).isInstanceOfSatisfying(VigieException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.USER_NOT_FOUND));
        users.createUser("frank", "pw", List.of(), List.of(), false);
        assertThat(store.findUser("frank").orElseThrow().passwordHash()).startsWith("pbkdf2-sha256$200$").doesNotContain("pw$");
    }

    private Authenticator authenticator(Duration cacheTime)
    {
        return new Authenticator(store, hasher, clock, cacheTime, 100, subject -> Optional.empty());
    }

    private static void assertUnauthenticated(Authenticator authenticator, String authorization)
    {
        assertThatThrownBy(() -> authenticator.authenticate(Optional.of(authorization), Optional.empty()))
                .as(authorization)
                .isInstanceOfSatisfying(VigieException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.AUTHENTICATION_REQUIRED));
    }

    private static String basic(String user, String password)
    {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
