package org.vigie.node.exchange;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.exchange.policy.ReleasePolicy;
import org.vigie.stix.json.StixJson;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.Optional;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/**
 * The release policy of a data directory, {@code <data-dir>/release-policy.json}. Absent means deny
 * every release. {@link #current()} re-reads the file when it changes, so {@code vigie policy set}
 * takes effect in a running node at its next release; a file that no longer parses (edited by hand)
 * denies everything until it is fixed, since a broken policy must never widen a release.
 */
final class PolicyFile
{
    static final String FILE_NAME = "release-policy.json";
    private static final Logger LOG = LoggerFactory.getLogger(PolicyFile.class);

    private final Path file;
    private Loaded loaded;

    private record Loaded(Optional<FileTime> modified, long size, ReleasePolicy policy) {}

    PolicyFile(Path dataDirectory)
    {
        this.file = requireNonNull(dataDirectory, "dataDirectory is null").resolve(FILE_NAME);
    }

    Path path()
    {
        return file;
    }

    boolean exists()
    {
        return Files.exists(file);
    }

    /** The policy in effect: the file's, deny-all when there is none or it is broken. */
    synchronized ReleasePolicy current()
    {
        Optional<FileTime> modified;
        long size;
        try {
            modified = Optional.of(Files.getLastModifiedTime(file));
            size = Files.size(file);
        }
        catch (NoSuchFileException e) {
            modified = Optional.empty();
            size = -1;
        }
        catch (IOException e) {
            LOG.error("release policy {} cannot be read ({}); denying every release until it can", file, e.getMessage());
            return ReleasePolicy.denyAll();
        }
        if (loaded != null && loaded.modified().equals(modified) && loaded.size() == size) {
            return loaded.policy();
        }
        ReleasePolicy policy;
        if (modified.isEmpty()) {
            policy = ReleasePolicy.denyAll();
        }
        else {
            try {
                policy = read();
            }
            catch (VigieException e) {
                LOG.error("{}; denying every release until it is fixed", e.getMessage());
                policy = ReleasePolicy.denyAll();
            }
        }
        loaded = new Loaded(modified, size, policy);
        return policy;
    }

    /** Reads and validates the file; fails naming the file and the problem. */
    ReleasePolicy read()
    {
        return parse(file);
    }

    /** Validates a policy file given by an operator; fails naming it and the problem. */
    static ReleasePolicy parse(Path source)
    {
        String text;
        try {
            text = Files.readString(source, StandardCharsets.UTF_8);
        }
        catch (NoSuchFileException e) {
            throw new VigieException(ErrorCode.IO_ERROR, "release policy file " + source + " does not exist");
        }
        catch (IOException e) {
            throw new VigieException(ErrorCode.IO_ERROR, "cannot read release policy file " + source + ": " + e.getMessage(), e);
        }
        try {
            return ReleasePolicy.fromJson(text);
        }
        catch (VigieException e) {
            throw new VigieException(ErrorCode.INVALID_CONFIGURATION, "release policy file " + source + " is invalid: " + e.getMessage(), e);
        }
    }

    /** Replaces the file atomically with the canonical form of this policy. */
    synchronized void write(ReleasePolicy policy)
    {
        Path temporary = file.resolveSibling(FILE_NAME + ".new-" + UUID.randomUUID());
        try {
            Files.writeString(temporary, StixJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(policy.toJson()) + "\n", StandardCharsets.UTF_8);
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        catch (IOException e) {
            try {
                Files.deleteIfExists(temporary);
            }
            catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new VigieException(ErrorCode.IO_ERROR, "cannot write release policy file " + file + ": " + e.getMessage(), e);
        }
        loaded = null;
    }
}
