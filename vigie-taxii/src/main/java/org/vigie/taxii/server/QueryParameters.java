package org.vigie.taxii.server;

import io.javalin.http.Context;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.stix.Timestamps;
import org.vigie.store.ObjectQuery;
import org.vigie.store.VersionFilter;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads TAXII filters from a request's URL parameters (TAXII 2.1 section 3.4): {@code added_after},
 * {@code limit}, {@code next}, {@code match[id]}, {@code match[type]}, {@code match[version]} and
 * {@code match[spec_version]}. A filter may be given several times or as a comma-separated list.
 */
final class QueryParameters
{
    private static final Pattern SPEC_VERSION = Pattern.compile("\\d+\\.\\d+");

    private QueryParameters() {}

    enum Filters
    {
        /** objects and manifest endpoints: every filter. */
        COLLECTION,
        /** one object: no match[id] or match[type]. */
        OBJECT,
        /** versions of one object: every version, no match[version]. */
        VERSIONS
    }

    static ObjectQuery query(Context context, Filters filters, int pageSizeDefault, int pageSizeMax)
    {
        Optional<Instant> addedAfter = single(context, "added_after").map(text -> timestamp("added_after", text));
        int limit = single(context, "limit").map(text -> limit(text, pageSizeMax)).orElse(pageSizeDefault);
        Optional<String> next = single(context, "next");
        List<String> ids = List.of();
        List<String> types = List.of();
        VersionFilter versions = VersionFilter.ALL;
        switch (filters) {
            case COLLECTION -> {
                ids = list(context, "match[id]");
                types = list(context, "match[type]");
                versions = versionFilter(context);
            }
            case OBJECT -> versions = versionFilter(context);
            case VERSIONS -> versions = VersionFilter.ALL;
        }
        return new ObjectQuery(addedAfter, limit, next, ids, types, versions, specVersions(context));
    }

    static VersionFilter versionFilter(Context context)
    {
        List<String> values = list(context, "match[version]");
        if (values.isEmpty()) {
            return VersionFilter.LAST;
        }
        boolean first = false;
        boolean last = false;
        boolean all = false;
        List<Instant> versions = new ArrayList<>();
        for (String value : values) {
            switch (value) {
                case "first" -> first = true;
                case "last" -> last = true;
                case "all" -> all = true;
                default -> versions.add(timestamp("match[version]", value));
            }
        }
        return new VersionFilter(first, last, all, versions);
    }

    static List<String> specVersions(Context context)
    {
        List<String> values = list(context, "match[spec_version]");
        for (String value : values) {
            if (!SPEC_VERSION.matcher(value).matches()) {
                throw new VigieException(ErrorCode.INVALID_ARGUMENT, "match[spec_version]: '" + value + "' is not a specification version such as 2.1");
            }
        }
        return values;
    }

    private static Optional<String> single(Context context, String name)
    {
        List<String> values = context.queryParams(name);
        if (values.isEmpty()) {
            return Optional.empty();
        }
        if (values.size() > 1) {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, "URL parameter " + name + " may be given only once, was given " + values.size() + " times");
        }
        String value = values.get(0).strip();
        if (value.isEmpty()) {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, "URL parameter " + name + " must not be empty");
        }
        return Optional.of(value);
    }

    private static List<String> list(Context context, String name)
    {
        List<String> values = new ArrayList<>();
        for (String parameter : context.queryParams(name)) {
            for (String value : parameter.split(",")) {
                String stripped = value.strip();
                if (stripped.isEmpty()) {
                    throw new VigieException(ErrorCode.INVALID_ARGUMENT, "URL parameter " + name + " has an empty value in '" + parameter + "'");
                }
                values.add(stripped);
            }
        }
        return List.copyOf(values);
    }

    private static int limit(String text, int pageSizeMax)
    {
        int limit;
        try {
            limit = Integer.parseInt(text);
        }
        catch (NumberFormatException e) {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, "URL parameter limit: '" + text + "' is not a positive integer");
        }
        if (limit < 1) {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, "URL parameter limit must be at least 1, was " + limit);
        }
        // TAXII lets a server return fewer objects than asked: the page size is capped.
        return Math.min(limit, pageSizeMax);
    }

    private static Instant timestamp(String name, String text)
    {
        try {
            return Timestamps.parse(text);
        }
        catch (VigieException e) {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, "URL parameter " + name + ": " + e.getMessage(), e);
        }
    }
}
