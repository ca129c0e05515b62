package org.vigie.taxii.client;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;

import static java.util.Objects.requireNonNull;

/**
 * TAXII filters of a GET: {@code added_after} (a STIX timestamp), {@code limit}, {@code next}, and the
 * {@code match[...]} lists, where {@code versions} holds {@code first}, {@code last}, {@code all} or
 * timestamps. Empty lists and empty optionals are left out of the URL (the server's defaults apply).
 */
public record ObjectsQuery(
        Optional<String> addedAfter,
        Optional<Integer> limit,
        Optional<String> next,
        List<String> ids,
        List<String> types,
        List<String> versions,
        List<String> specVersions)
{
    public ObjectsQuery
    {
        requireNonNull(addedAfter, "addedAfter is null");
        requireNonNull(limit, "limit is null");
        requireNonNull(next, "next is null");
        ids = List.copyOf(requireNonNull(ids, "ids is null"));
        types = List.copyOf(requireNonNull(types, "types is null"));
        versions = List.copyOf(requireNonNull(versions, "versions is null"));
        specVersions = List.copyOf(requireNonNull(specVersions, "specVersions is null"));
    }

    public static ObjectsQuery all()
    {
        return new ObjectsQuery(Optional.empty(), Optional.empty(), Optional.empty(), List.of(), List.of(), List.of(), List.of());
    }

    public ObjectsQuery withAddedAfter(String timestamp)
    {
        return new ObjectsQuery(Optional.of(timestamp), limit, next, ids, types, versions, specVersions);
    }

    public ObjectsQuery withLimit(int newLimit)
    {
        return new ObjectsQuery(addedAfter, Optional.of(newLimit), next, ids, types, versions, specVersions);
    }

    public ObjectsQuery withNext(String cursor)
    {
        return new ObjectsQuery(addedAfter, limit, Optional.of(cursor), ids, types, versions, specVersions);
    }

    public ObjectsQuery withIds(String... newIds)
    {
        return new ObjectsQuery(addedAfter, limit, next, List.of(newIds), types, versions, specVersions);
    }

    public ObjectsQuery withTypes(String... newTypes)
    {
        return new ObjectsQuery(addedAfter, limit, next, ids, List.of(newTypes), versions, specVersions);
    }

    public ObjectsQuery withVersions(String... newVersions)
    {
        return new ObjectsQuery(addedAfter, limit, next, ids, types, List.of(newVersions), specVersions);
    }

    public ObjectsQuery withSpecVersions(String... newSpecVersions)
    {
        return new ObjectsQuery(addedAfter, limit, next, ids, types, versions, List.of(newSpecVersions));
    }

    /** The URL query string, starting with {@code ?} when not empty; parameters in a fixed order. */
    String toQueryString()
    {
        StringJoiner joiner = new StringJoiner("&", "?", "").setEmptyValue("");
        addedAfter.ifPresent(value -> joiner.add("added_after=" + encode(value)));
        limit.ifPresent(value -> joiner.add("limit=" + value));
        next.ifPresent(value -> joiner.add("next=" + encode(value)));
        addList(joiner, "match[id]", ids);
        addList(joiner, "match[type]", types);
        addList(joiner, "match[version]", versions);
        addList(joiner, "match[spec_version]", specVersions);
        return joiner.toString();
    }

    private static void addList(StringJoiner joiner, String name, List<String> values)
    {
        if (!values.isEmpty()) {
            joiner.add(encode(name) + "=" + encode(String.join(",", values)));
        }
    }

    private static String encode(String text)
    {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
