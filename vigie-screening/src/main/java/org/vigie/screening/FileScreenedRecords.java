package org.vigie.screening;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.stix.json.StixJson;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

import static java.util.Objects.requireNonNull;

/**
 * Screened records in an append-only UTF-8 JSON Lines file: one object per line,
 * {@code {"record_id", "query": {"name", "aliases", "birth_date", "nationality", "type", "threshold",
 * "limit"}, "hit_keys": [...], "best_match": {"key", "name", "score"} | null}}; a later line for the
 * same record id replaces an earlier one. A last line without its newline is a write cut short (the
 * process stopped): it is dropped when the file is opened. Any other malformed line fails with
 * INVALID_ARGUMENT naming the file and line. When more than half the lines are superseded, opening
 * rewrites the file with the current records (beside it, then renamed over it).
 * Safe for the threads of one process; two processes must not write the same file at once.
 */
final class FileScreenedRecords
        implements ScreenedRecords
{
    private static final ConcurrentHashMap<Path, ReentrantLock> PROCESS_LOCKS = new ConcurrentHashMap<>();

    private final Path file;
    private final TreeMap<String, ScreenedRecord> records = new TreeMap<>();

    private FileScreenedRecords(Path file)
    {
        this.file = file;
    }

    static FileScreenedRecords open(Path file)
    {
        requireNonNull(file, "file is null");
        FileScreenedRecords result = new FileScreenedRecords(file);
        result.locked(() -> {
            if (Files.exists(file)) {
                result.load();
            }
        });
        return result;
    }

    /**
     * Runs {@code action} holding the records file's lock, so that a process compacting the file (on open)
     * never drops lines another process appends, and never reads half a line. The lock is a file lock on a
     * sidecar file (between processes) taken under a lock per path (between threads and instances of this
     * process, since a JVM may hold a file lock only once).
     */
    private void locked(Runnable action)
    {
        Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
        ReentrantLock processLock = PROCESS_LOCKS.computeIfAbsent(lockFile.toAbsolutePath().normalize(), path -> new ReentrantLock());
        processLock.lock();
        try {
            Path parent = lockFile.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock ignored = channel.lock()) {
                action.run();
            }
        }
        catch (IOException e) {
            throw new VigieException(ErrorCode.IO_ERROR, "cannot lock screened records " + file + " with " + lockFile + ": " + e.getMessage(), e);
        }
        finally {
            processLock.unlock();
        }
    }

    private void load()
    {
        String content;
        try {
            content = Files.readString(file, StandardCharsets.UTF_8);
        }
        catch (IOException e) {
            throw new VigieException(ErrorCode.IO_ERROR, "cannot read screened records " + file + ": " + e.getMessage(), e);
        }
        int complete = content.lastIndexOf('\n') + 1;
        String[] lines = content.substring(0, complete).split("\n", -1);
        int lineCount = 0;
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isEmpty()) {
                continue;
            }
            lineCount++;
            ScreenedRecord record = parse(lines[i], i + 1);
            records.put(record.recordId(), record);
        }
        if (complete < content.length() || lineCount > 2 * records.size()) {
            rewrite();
        }
    }

    private ScreenedRecord parse(String line, int number)
    {
        String where = "screened records " + file + " line " + number;
        try {
            JsonNode node = StixJson.mapper().readTree(line);
            JsonNode query = node.required("query");
            List<String> aliases = new ArrayList<>();
            query.required("aliases").forEach(alias -> aliases.add(alias.asString()));
            ScreeningQuery screeningQuery = new ScreeningQuery(
                    query.required("name").asString(),
                    aliases,
                    text(query, "birth_date").map(date -> ScreeningJson.parseDate(date, where + " birth_date")),
                    text(query, "nationality"),
                    text(query, "type").map(type -> ScreeningJson.parseType(type, where + " type")),
                    query.required("threshold").asDouble(),
                    query.required("limit").asInt());
            List<String> hitKeys = new ArrayList<>();
            node.required("hit_keys").forEach(key -> hitKeys.add(key.asString()));
            JsonNode best = node.path("best_match");
            Optional<ScreenedRecord.BestMatch> bestMatch = best.isObject()
                    ? Optional.of(new ScreenedRecord.BestMatch(best.required("key").asString(), best.required("name").asString(), best.required("score").asDouble()))
                    : Optional.empty();
            return new ScreenedRecord(node.required("record_id").asString(), screeningQuery, hitKeys, bestMatch);
        }
        catch (JacksonException | IllegalArgumentException e) {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, where + " is not a screened record: " + e.getMessage(), e);
        }
        catch (VigieException e) {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, where + " is not a screened record: " + e.getMessage(), e);
        }
    }

    private static Optional<String> text(JsonNode node, String field)
    {
        JsonNode value = node.path(field);
        return value.isString() ? Optional.of(value.asString()) : Optional.empty();
    }

    static String line(ScreenedRecord record)
    {
        ObjectNode node = StixJson.mapper().createObjectNode();
        node.put("record_id", record.recordId());
        ObjectNode query = node.putObject("query");
        ScreeningQuery screeningQuery = record.query();
        query.put("name", screeningQuery.name());
        ArrayNode aliases = query.putArray("aliases");
        screeningQuery.aliases().forEach(aliases::add);
        query.put("birth_date", screeningQuery.birthDate().map(LocalDate::toString).orElse(null));
        query.put("nationality", screeningQuery.nationality().orElse(null));
        query.put("type", screeningQuery.type().map(type -> type.name().toLowerCase(Locale.ROOT)).orElse(null));
        query.put("threshold", screeningQuery.threshold());
        query.put("limit", screeningQuery.limit());
        ArrayNode hitKeys = node.putArray("hit_keys");
        record.hitKeys().forEach(hitKeys::add);
        if (record.bestMatch().isPresent()) {
            ScreenedRecord.BestMatch best = record.bestMatch().get();
            ObjectNode match = node.putObject("best_match");
            match.put("key", best.key());
            match.put("name", best.name());
            match.put("score", best.score());
        }
        else {
            node.putNull("best_match");
        }
        return StixJson.compact(node) + "\n";
    }

    @Override
    public void remember(ScreenedRecord record)
    {
        rememberAll(List.of(requireNonNull(record, "record is null")));
    }

    @Override
    public synchronized void rememberAll(List<ScreenedRecord> updates)
    {
        requireNonNull(updates, "updates is null");
        if (updates.isEmpty()) {
            return;
        }
        StringBuilder lines = new StringBuilder();
        for (ScreenedRecord record : updates) {
            lines.append(line(requireNonNull(record, "record is null")));
        }
        locked(() -> {
            try {
                Path parent = file.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE)) {
                    writer.write(lines.toString());
                }
            }
            catch (IOException e) {
                throw new VigieException(ErrorCode.IO_ERROR, "cannot append to screened records " + file + ": " + e.getMessage(), e);
            }
        });
        // Memory follows the file only once the lines are written.
        for (ScreenedRecord record : updates) {
            records.put(record.recordId(), record);
        }
    }

    private void rewrite()
    {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        StringBuilder lines = new StringBuilder();
        records.values().forEach(record -> lines.append(line(record)));
        try {
            Files.writeString(temporary, lines, StandardCharsets.UTF_8);
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (IOException e) {
            throw new VigieException(ErrorCode.IO_ERROR, "cannot rewrite screened records " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized Optional<ScreenedRecord> get(String recordId)
    {
        return Optional.ofNullable(records.get(requireNonNull(recordId, "recordId is null")));
    }

    @Override
    public synchronized List<ScreenedRecord> all()
    {
        return List.copyOf(records.values());
    }
}
