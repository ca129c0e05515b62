package org.vigie.node.cli;

import org.vigie.node.config.NodeConfig;
import org.vigie.node.server.NodeStores;
import org.vigie.store.ObjectStore;
import org.vigie.taxii.auth.PasswordHasher;

import java.io.InputStream;
import java.io.PrintStream;
import java.time.InstantSource;
import java.util.function.BiFunction;

import static java.util.Objects.requireNonNull;

/**
 * What a command may touch outside itself: standard streams, the clock, whether a terminal is attached
 * (for progress bars), how a store is opened from a configuration, and the password hasher (tests use a
 * fast one; every hash names its own work factor, so the server verifies either).
 */
public record CommandContext(
        InputStream in,
        PrintStream out,
        PrintStream err,
        InstantSource clock,
        boolean terminal,
        BiFunction<NodeConfig, InstantSource, ObjectStore> storeOpener,
        PasswordHasher hasher)
{
    public CommandContext
    {
        requireNonNull(in, "in is null");
        requireNonNull(out, "out is null");
        requireNonNull(err, "err is null");
        requireNonNull(clock, "clock is null");
        requireNonNull(storeOpener, "storeOpener is null");
        requireNonNull(hasher, "hasher is null");
    }

    /** The process's own streams and clock, and the configured store. */
    public static CommandContext system()
    {
        return new CommandContext(System.in, System.out, System.err, InstantSource.system(), System.console() != null, NodeStores::open, PasswordHasher.standard());
    }

    public CommandContext withStreams(InputStream newIn, PrintStream newOut, PrintStream newErr)
    {
        return new CommandContext(newIn, newOut, newErr, clock, terminal, storeOpener, hasher);
    }

    ObjectStore openStore(NodeConfig config)
    {
        return storeOpener.apply(config, clock);
    }
}
