package org.vigie.node.server;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.node.config.NodeConfig;
import org.vigie.store.ObjectStore;
import org.vigie.store.ObjectStores;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;

/** Opens the store a node configuration names, creating the data directory first. */
public final class NodeStores
{
    private NodeStores() {}

    public static ObjectStore open(NodeConfig config, InstantSource clock)
    {
        prepareDataDirectory(config.dataDirectory());
        return ObjectStores.open(config.store(), clock);
    }

    /** Creates the data directory when missing; fails naming it when it is not a writable directory. */
    public static void prepareDataDirectory(Path directory)
    {
        try {
            Files.createDirectories(directory);
        }
        catch (IOException e) {
            throw new VigieException(ErrorCode.DATA_DIRECTORY_INVALID, "data directory " + directory.toAbsolutePath() + " cannot be created: " + e.getMessage(), e);
        }
        if (!Files.isDirectory(directory) || !Files.isWritable(directory)) {
            throw new VigieException(ErrorCode.DATA_DIRECTORY_INVALID, "data directory " + directory.toAbsolutePath() + " is not a writable directory");
        }
    }
}
