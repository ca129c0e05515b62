package org.vigie.node.server;

import org.vigie.console.WebDriverClient;
import org.vigie.node.config.NodeConfig;
import org.vigie.stix.StixObject;
import org.vigie.stix.json.StixJson;
import org.vigie.store.ObjectStore;
import org.vigie.store.ObjectStores;
import org.vigie.taxii.auth.PasswordHasher;
import org.vigie.taxii.auth.UserAdministration;
import tools.jackson.databind.JsonNode;

import java.lang.management.ManagementFactory;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The console's speed and memory on a node's data directory (a benchmark, not a test). Run on a store
 * filled with {@code vigie generate} and {@code vigie import} (docs/BENCHMARKS.md, Console):
 * <pre>
 * java -cp ... org.vigie.node.server.ConsoleBenchmark DATA_DIR COLLECTION_ID WORK_DIR
 * </pre>
 * It adds a fixed graph to the collection (4 hubs of 500 relationships; duplicates on later runs),
 * starts the node in this JVM, and prints: heap used after start and once the search index (on disk) is
 * current (after a full GC each), the time and process CPU until it is current (a build on a first start), search latency over HTTP (server time and round
 * trip, p50/p99 of 200 queries), and in headless Chromium: first contentful paint of the page, the time
 * from opening each screen to its data drawn, search results drawn, and the graph (open a hub, expand
 * three more to about 2,000 nodes: time to draw each expansion, then the frame times while the layout
 * runs until it freezes, and over 300 frames of panning and zooming). A screenshot of the graph goes to
 * {@code WORK_DIR}.
 */
public final class ConsoleBenchmark
{
    private static final int HUBS = 4;
    private static final int EDGES_PER_HUB = 500;
    private static final List<String> QUERIES = List.of("silent", "crimson viper", "iron falcon", "energy", "ransomware", "backdoor", "com", "spearphishing attachment",
            "shadow", "kraken", "northern lynx", "malicious activity", "obsidian tundra", "scarlet comet", "valid accounts", "nothing-like-this");
    private static final String PASSWORD = "console benchmark password";
    // The graph's canvas; its test hook is documented in vigie-console's graph.js.
    private static final String GRAPH = "document.querySelector('#graph')";

    private ConsoleBenchmark() {}

    public static void main(String[] arguments)
            throws Exception
    {
        if (arguments.length != 3) {
            System.err.println("usage: ConsoleBenchmark DATA_DIR COLLECTION_ID WORK_DIR");
            System.exit(2);
        }
        Path dataDirectory = Path.of(arguments[0]);
        String collection = arguments[1];
        Path work = Files.createDirectories(Path.of(arguments[2]));
        NodeConfig config = NodeConfig.load(dataDirectory, Map.of("http.port", "0"));
        List<String> hubs = addGraph(config, collection);

        PasswordHasher hasher = PasswordHasher.withIterations(1_000);
        long start = System.nanoTime();
        try (VigieNode node = VigieNode.start(config, InstantSource.system(), NodeStores::open, hasher)) {
            System.out.printf("node started in %d ms%n", (System.nanoTime() - start) / 1_000_000);
            System.out.printf("heap used after start and a full GC: %.1f MiB%n", heapAfterGc());
            String user = "console-bench-" + UUID.randomUUID().toString().substring(0, 8);
            new UserAdministration(node.store(), hasher, InstantSource.system()).createUser(user, PASSWORD, List.of(), List.of(), true);
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            String token = StixJson.parse(send(http, HttpRequest.newBuilder(node.baseUri().resolve("console/api/login"))
                    .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString((user + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)))
                    .POST(HttpRequest.BodyPublishers.noBody()).build())).get("token").stringValue();

            // The search index is on disk (search.db): built in the background on the first start over a store, current at once on a restart.
            JsonNode early = search(http, node, token, "silent");
            System.out.printf("first search, at once: %d matches, index %d objects behind%n", early.get("total").longValue(), early.get("index_behind").longValue());
            long cpuBefore = processCpuNanos();
            long first = System.nanoTime();
            node.awaitConsoleIndex();
            System.out.printf("search index current %d ms after the wait began, %d ms after the node started; process CPU meanwhile %.1f s%n",
                    (System.nanoTime() - first) / 1_000_000, (System.nanoTime() - start) / 1_000_000, (processCpuNanos() - cpuBefore) / 1e9);
            System.out.printf("heap used with the index current, after a full GC: %.1f MiB%n", heapAfterGc());

            long[] server = new long[200];
            long[] roundTrip = new long[200];
            for (int index = 0; index < server.length; index++) {
                long sent = System.nanoTime();
                JsonNode answer = search(http, node, token, QUERIES.get(index % QUERIES.size()));
                roundTrip[index] = (System.nanoTime() - sent) / 1_000;
                server[index] = answer.get("elapsed_microseconds").longValue();
            }
            System.out.printf("search over HTTP, %d queries: server p50 %.1f ms p99 %.1f ms; round trip p50 %.1f ms p99 %.1f ms%n",
                    server.length, percentile(server, 50), percentile(server, 99), percentile(roundTrip, 50), percentile(roundTrip, 99));
            browser(node, user, hubs, work);
        }
    }

    private static void browser(VigieNode node, String user, List<String> hubs, Path work)
            throws Exception
    {
        try (WebDriverClient browser = new WebDriverClient(Files.createDirectories(work.resolve("chromium-profile-" + UUID.randomUUID())))) {
            browser.open(node.baseUri());
            browser.await("document.querySelector('#login-form') && !document.querySelector('#view-login').hidden", "the login form");
            System.out.printf("first contentful paint of the console page: %.0f ms%n",
                    browser.script("const entry = performance.getEntriesByName('first-contentful-paint')[0]; return entry ? entry.startTime : -1;").asDouble());
            browser.type("#login-user", user);
            browser.type("#login-password", PASSWORD);
            browser.script("window.benchmarkStart = performance.now();");
            browser.click("#login-submit");
            browser.await("document.querySelectorAll('#feed-list tr').length > 0", "the live feed's first rows", 120);
            System.out.printf("screen feed (sign-in to the first feed rows drawn): %.0f ms%n", elapsed(browser));
            Map<String, String> ready = new java.util.LinkedHashMap<>();
            ready.put("knowledge", "document.querySelector('#search-input') && !document.querySelector('#view-knowledge').hidden");
            ready.put("sharing", loaded("/console/api/sharing/partners"));
            ready.put("detection", loaded("/console/api/detection/sightings"));
            ready.put("screening", "document.querySelector('#screen-name') && !document.querySelector('#view-screening').hidden");
            ready.put("authoring", "document.querySelector('#author-type') && !document.querySelector('#view-authoring').hidden");
            for (Map.Entry<String, String> screen : ready.entrySet()) {
                browser.script("performance.clearResourceTimings(); window.benchmarkStart = performance.now(); location.hash = '#" + screen.getKey() + "';");
                browser.await(screen.getValue(), "the " + screen.getKey() + " screen", 300);
                System.out.printf("screen %s (open to data drawn): %.0f ms%n", screen.getKey(), elapsed(browser));
                if (screen.getKey().equals("detection")) {
                    // Where the Detection screen's time goes: the request's resource timing and the server's stages (Server-Timing).
                    System.out.printf("detection request: %s%n", browser.script("const entry = performance.getEntriesByType('resource').filter((e) => e.name.includes('/detection/sightings')).pop();"
                            + "return entry ? `sent ${(entry.requestStart - window.benchmarkStart).toFixed(0)} ms after opening, first byte ${(entry.responseStart - entry.requestStart).toFixed(0)} ms later,"
                            + " body ${(entry.responseEnd - entry.responseStart).toFixed(0)} ms, ${entry.encodedBodySize} bytes; server: `"
                            + " + entry.serverTiming.map((stage) => `${stage.name} ${stage.duration.toFixed(1)} ms`).join(', ') : 'not found';").asString());
                }
            }

            browser.script("location.hash = '#knowledge';");
            browser.await("document.querySelector('#search-input')", "the search box");
            for (String query : List.of("silent viper", "energy", "kraken")) {
                browser.script("const input = document.querySelector('#search-input'); input.value = arguments[0]; window.benchmarkStart = performance.now();"
                        + "input.dispatchEvent(new Event('input'));", query);
                browser.await("document.querySelector('#search-summary').textContent.includes('on the server')", "the results of " + query, 60);
                // The console waits 150 ms after the last keystroke before it asks: that pause is not the search's time.
                System.out.printf("search '%s' in the browser: %s; results drawn %.0f ms after typing (including the 150 ms typing pause)%n",
                        query, browser.text("#search-summary"), elapsed(browser));
                browser.script("document.querySelector('#search-summary').textContent = '';");
            }

            browser.script("window.benchmarkStart = performance.now(); location.hash = '#knowledge/" + hubs.get(0) + "';");
            browser.await(GRAPH + ".dataset.nodes >= " + EDGES_PER_HUB, "the first hub's neighbourhood", 120);
            System.out.printf("graph: opened a hub, %d nodes drawn after %.0f ms%n", nodes(browser), elapsed(browser));
            browser.script(GRAPH + ".scrollIntoView({block: 'center'});");
            for (String hub : hubs.subList(1, hubs.size())) {
                int before = nodes(browser);
                // A click where the graph's test hook says the hub is drawn, hit-tested by the graph like a mouse click.
                browser.script("window.benchmarkStart = performance.now(); const canvas = " + GRAPH + "; const node = canvas.graphTestHook.node(arguments[0]);"
                        + "for (const type of ['pointerdown', 'pointerup']) { canvas.dispatchEvent(new PointerEvent(type, {bubbles: true, pointerId: 1, clientX: node.x, clientY: node.y})); }", hub);
                browser.await(GRAPH + ".dataset.nodes >= " + (before + EDGES_PER_HUB - 2), "the expansion of " + hub, 120);
                System.out.printf("graph: expanded a hub, %d nodes drawn %.0f ms after the click%n", nodes(browser), elapsed(browser));
            }
            browser.script("return " + GRAPH + ".graphTestHook.costs();");
            // Frames while the layout of the last expansion runs (until it freezes, at most 600 frames).
            browser.script("window.benchmarkFrames = []; const hook = " + GRAPH + ".graphTestHook; let last = performance.now();"
                    + "const frame = () => { const now = performance.now(); window.benchmarkFrames.push(now - last); last = now;"
                    + "if (!hook.settled() && window.benchmarkFrames.length < 600) { requestAnimationFrame(frame); } else { window.benchmarkDone = true; } };"
                    + "window.benchmarkDone = false; requestAnimationFrame(frame);");
            browser.await("window.benchmarkDone", "the layout to freeze", 600);
            frames(browser, "while the layout runs");
            // Frames while the user pans (a drag on the canvas's corner) and zooms (a wheel step every frame, 30 in, 30 out).
            browser.script("window.benchmarkFrames = []; window.benchmarkDone = false; const canvas = " + GRAPH + "; const box = canvas.getBoundingClientRect();"
                    + "let x = box.left + 4; const y = box.top + 4; let last = performance.now(); let count = 0;"
                    + "canvas.dispatchEvent(new PointerEvent('pointerdown', {bubbles: true, pointerId: 2, clientX: x, clientY: y}));"
                    + "const frame = () => { const now = performance.now(); window.benchmarkFrames.push(now - last); last = now; count++;"
                    + "x += 2; canvas.dispatchEvent(new PointerEvent('pointermove', {bubbles: true, pointerId: 2, clientX: x, clientY: y}));"
                    + "canvas.dispatchEvent(new WheelEvent('wheel', {bubbles: true, cancelable: true, clientX: box.left + box.width / 2, clientY: box.top + box.height / 2, deltaY: Math.floor(count / 30) % 2 === 0 ? -100 : 100}));"
                    + "if (count < 300) { requestAnimationFrame(frame); } else { canvas.dispatchEvent(new PointerEvent('pointerup', {bubbles: true, pointerId: 2, clientX: x, clientY: y})); window.benchmarkDone = true; } };"
                    + "requestAnimationFrame(frame);");
            browser.await("window.benchmarkDone", "300 frames of panning and zooming", 600);
            frames(browser, "while panning and zooming");
            browser.screenshot(work.resolve("console-graph-2000.png"));
        }
    }

    /** Relationship hubs: hub 0 linked to hubs 1..3 and leaves, each other hub to hub 0 and its own leaves. Deterministic ids. */
    private static List<String> addGraph(NodeConfig config, String collection)
    {
        List<String> hubs = new ArrayList<>();
        for (int hub = 0; hub < HUBS; hub++) {
            hubs.add("threat-actor--" + UUID.nameUUIDFromBytes(("console-bench-hub-" + hub).getBytes(StandardCharsets.UTF_8)));
        }
        List<StixObject> objects = new ArrayList<>();
        for (int hub = 0; hub < HUBS; hub++) {
            objects.add(object(hubs.get(hub), "Benchmark hub " + hub));
            List<String> targets = new ArrayList<>();
            if (hub == 0) {
                targets.addAll(hubs.subList(1, HUBS));
            }
            while (targets.size() < EDGES_PER_HUB - (hub == 0 ? 0 : 1)) {
                String leaf = "campaign--" + UUID.nameUUIDFromBytes(("console-bench-leaf-" + hub + "-" + targets.size()).getBytes(StandardCharsets.UTF_8));
                objects.add(object(leaf, "Benchmark leaf " + hub + "-" + targets.size()));
                targets.add(leaf);
            }
            for (String target : targets) {
                String id = "relationship--" + UUID.nameUUIDFromBytes((hubs.get(hub) + target).getBytes(StandardCharsets.UTF_8));
                objects.add(StixObject.fromJson("{\"type\":\"relationship\",\"spec_version\":\"2.1\",\"id\":\"" + id + "\",\"created\":\"2026-01-01T00:00:00.000Z\","
                        + "\"modified\":\"2026-01-01T00:00:00.000Z\",\"relationship_type\":\"related-to\",\"source_ref\":\"" + hubs.get(hub) + "\",\"target_ref\":\"" + target + "\"}"));
            }
        }
        try (ObjectStore store = ObjectStores.open(config.store(), InstantSource.system())) {
            store.addObjects(collection, objects);
        }
        return hubs;
    }

    private static StixObject object(String id, String name)
    {
        String type = id.substring(0, id.indexOf("--"));
        return StixObject.fromJson("{\"type\":\"" + type + "\",\"spec_version\":\"2.1\",\"id\":\"" + id + "\",\"created\":\"2026-01-01T00:00:00.000Z\","
                + "\"modified\":\"2026-01-01T00:00:00.000Z\",\"name\":\"" + name + "\"}");
    }

    private static String loaded(String path)
    {
        return "performance.getEntriesByType('resource').some((entry) => entry.name.includes('" + path + "') && entry.responseEnd > window.benchmarkStart)";
    }

    private static double elapsed(WebDriverClient browser)
    {
        return browser.script("return performance.now() - window.benchmarkStart;").asDouble();
    }

    private static int nodes(WebDriverClient browser)
    {
        return browser.script("return Number(" + GRAPH + ".dataset.nodes);").asInt();
    }

    /** Prints the frame times the page gathered in window.benchmarkFrames (the first is the wait for the first frame, left out). */
    private static void frames(WebDriverClient browser, String what)
    {
        double[] frames = Arrays.stream(browser.script("return window.benchmarkFrames.slice(1);").toString().replaceAll("[\\[\\]]", "").split(","))
                .filter(text -> !text.isBlank())
                .mapToDouble(Double::parseDouble).sorted().toArray();
        if (frames.length == 0) {
            System.out.printf("graph of %d nodes %s: no frame%n", nodes(browser), what);
            return;
        }
        System.out.printf("graph of %d nodes %s: frame time p50 %.1f ms, p95 %.1f ms, max %.1f ms over %d frames (%.0f ms)%n",
                nodes(browser), what, frames[frames.length / 2], frames[Math.min(frames.length - 1, (int) (frames.length * 0.95))], frames[frames.length - 1],
                frames.length, Arrays.stream(frames).sum());
        // The graph's own main-thread work per frame drawn: what the frame time is made of, apart from waiting for the CPU.
        JsonNode costs = browser.script("return " + GRAPH + ".graphTestHook.costs();");
        for (int part = 0; part < 2; part++) {
            double[] values = new double[costs.size()];
            for (int index = 0; index < values.length; index++) {
                values[index] = costs.get(index).get(part).asDouble();
            }
            Arrays.sort(values);
            if (values.length > 0) {
                System.out.printf("    %s per frame: p50 %.1f ms, p95 %.1f ms, max %.1f ms over %d frames%n", part == 0 ? "layout" : "drawing",
                        values[values.length / 2], values[Math.min(values.length - 1, (int) (values.length * 0.95))], values[values.length - 1], values.length);
            }
        }
    }

    private static JsonNode search(HttpClient http, VigieNode node, String token, String query)
            throws Exception
    {
        return StixJson.parse(send(http, HttpRequest.newBuilder(node.baseUri().resolve("console/api/search?limit=50&q=" + URLEncoder.encode(query, StandardCharsets.UTF_8)))
                .header("Authorization", "Bearer " + token).build()));
    }

    private static String send(HttpClient http, HttpRequest request)
            throws Exception
    {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(request.uri() + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private static long processCpuNanos()
    {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static double heapAfterGc()
    {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024.0 * 1024.0);
    }

    private static double percentile(long[] micros, int percent)
    {
        long[] sorted = micros.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * percent / 100.0) - 1)] / 1000.0;
    }
}
