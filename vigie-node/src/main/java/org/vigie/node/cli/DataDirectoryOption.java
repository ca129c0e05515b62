package org.vigie.node.cli;

import org.vigie.node.config.NodeConfig;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.Map;

/** The {@code --data-dir} option shared by every command that opens the store. */
class DataDirectoryOption
{
    @CommandLine.Option(names = "--data-dir", paramLabel = "DIR", defaultValue = NodeConfig.DEFAULT_DATA_DIRECTORY,
            description = "Data directory of the node (default: ${DEFAULT-VALUE}); its vigie.properties is read when present.")
    Path dataDirectory;

    NodeConfig load(Map<String, String> overrides)
    {
        return NodeConfig.load(dataDirectory, overrides);
    }

    NodeConfig load()
    {
        return load(Map.of());
    }
}
