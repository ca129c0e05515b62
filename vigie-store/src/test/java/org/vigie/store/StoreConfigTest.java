package org.vigie.store;

import org.junit.jupiter.api.Test;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

public class StoreConfigTest
{
    @Test
    public void defaults()
    {
        StoreConfig config = StoreConfig.fromProperties(Map.of("node.name", "unrelated"));
        assertThat(config).isEqualTo(StoreConfig.defaults());
        assertThat(config.url()).isEqualTo(StoreConfig.DEFAULT_URL);
        assertThat(config.user()).isEmpty();
        assertThat(config.password()).isEmpty();
        assertThat(config.poolSize()).isEqualTo(StoreConfig.DEFAULT_POOL_SIZE);
        assertThat(config.isSqlite()).isTrue();
        assertThat(config.sqliteFile()).isEqualTo(Path.of("vigie.db"));
    }

    @Test
    public void fullMapping()
    {
        StoreConfig config = StoreConfig.fromProperties(Map.of(
                "store.url", "jdbc:postgresql://db.example:5432/vigie",
                "store.user", "vigie",
                "store.password", "s3cret",
                "store.pool-size", " 12 "));
        assertThat(config).isEqualTo(new StoreConfig("jdbc:postgresql://db.example:5432/vigie", Optional.of("vigie"), Optional.of("s3cret"), 12));
        assertThat(config.isSqlite()).isFalse();
        assertThat(config.toString()).doesNotContain("s3cret").contains("****");
        assertThat(StoreConfig.fromProperties(Map.of("store.url", "jdbc:sqlite:/data/v.db?foo=1")).sqliteFile()).isEqualTo(Path.of("/data/v.db"));
    }

    @Test
    public void errorsNameTheBadKey()
    {
        assertInvalid(Map.of("store.url", "jdbc:mysql://x/y"), "store.url");
        assertInvalid(Map.of("store.url", "jdbc:sqlite:"), "store.url");
        assertInvalid(Map.of("store.pool-size", "many"), "store.pool-size");
        assertInvalid(Map.of("store.pool-size", "0"), "store.pool-size");
        assertInvalid(Map.of("store.pool-size", "100000"), "store.pool-size");
        assertInvalid(Map.of("store.pool_size", "4"), "store.pool_size");
    }

    private static void assertInvalid(Map<String, String> properties, String key)
    {
        assertThatThrownBy(() -> StoreConfig.fromProperties(properties))
                .isInstanceOfSatisfying(VigieException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
                .hasMessageStartingWith("configuration key '" + key + "'");
    }
}
