package org.vigie.node.cli;

import org.vigie.node.config.NodeConfig;
import org.vigie.node.server.NodeInitializer;
import org.vigie.node.server.VigieNode;
import org.vigie.store.CollectionInfo;
import picocli.CommandLine;

import java.io.PrintStream;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import static java.util.Objects.requireNonNull;

@CommandLine.Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Run the node: the TAXII 2.1 server over the data directory's store, until stopped (Ctrl+C or SIGTERM).",
                "The first start creates the data directory, the SQLite store, a default collection and an administrator whose generated password is printed once."})
final class ServeCommand
        implements Callable<Integer>
{
    /** Prefixes of the lines a script or test may read from standard output. */
    static final String URL_LINE = "URL: ";
    static final String USER_LINE = "User: ";
    static final String PASSWORD_LINE = "Password: ";
    static final String COLLECTION_LINE = "Collection: ";

    private final CommandContext context;

    @CommandLine.Mixin
    DataDirectoryOption dataDirectory;

    @CommandLine.Option(names = "--port", paramLabel = "N", description = "TCP port (overrides http.port; default 6543; 0 picks a free port).")
    Integer port;

    @CommandLine.Option(names = "--bind", paramLabel = "ADDR", description = "Address to listen on (overrides http.bind; default 127.0.0.1).")
    String bind;

    ServeCommand(CommandContext context)
    {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call()
            throws InterruptedException
    {
        Map<String, String> overrides = new TreeMap<>();
        if (port != null) {
            overrides.put("http.port", port.toString());
        }
        if (bind != null) {
            overrides.put("http.bind", bind);
        }
        NodeConfig config = dataDirectory.load(overrides);
        VigieNode node = VigieNode.start(config, context.clock(), context.storeOpener(), context.hasher());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
            }
            finally {
                stopped.countDown();
            }
        }, "vigie-shutdown"));
        printBanner(node, config);
        stopped.await();
        return Main.OK;
    }

    private void printBanner(VigieNode node, NodeConfig config)
    {
        PrintStream out = context.out();
        out.println("Vigie node is running (data directory " + config.dataDirectory().toAbsolutePath() + ")");
        out.println(URL_LINE + node.baseUri());
        out.println("Discovery: " + node.discoveryUri());
        out.println("API root: " + node.apiRootUri());
        for (CollectionInfo collection : node.collections()) {
            out.println(COLLECTION_LINE + collection.id() + " " + collection.title());
        }
        NodeInitializer.Initialization initialization = node.initialization();
        // The password exists only in this process's memory: printed here once, never logged, never stored in clear.
        initialization.administratorPassword().ifPresent(password -> {
            out.println("First start: administrator created; its password is shown only this once, keep it now.");
            out.println(USER_LINE + initialization.administratorName());
            out.println(PASSWORD_LINE + password);
        });
        out.println("Press Ctrl+C to stop.");
        out.flush();
    }
}
