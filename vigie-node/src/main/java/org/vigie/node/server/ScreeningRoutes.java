package org.vigie.node.server;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.screening.Rescreening;
import org.vigie.screening.ScreenedRecord;
import org.vigie.screening.ScreenedRecords;
import org.vigie.screening.Screener;
import org.vigie.screening.ScreeningJson;
import org.vigie.screening.ScreeningQuery;
import org.vigie.screening.ScreeningResult;
import org.vigie.stix.json.StixJson;
import org.vigie.taxii.server.RouteContributor;
import org.vigie.taxii.server.Routes;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * {@code POST /screening/match}: screens one query ({@code {"name": ...}}) or several
 * ({@code {"queries": [...]}}) against the sanctions lists in effect, for any authenticated user, and
 * remembers each query for re-screening when the lists change ({@code vigie lists update}).
 */
final class ScreeningRoutes
        implements RouteContributor
{
    static final String PATH = "/screening/match";
    // Screening many names in one request is the batch tool's job; this bounds one request's work.
    static final int MAXIMUM_QUERIES = 1_000;

    private final Supplier<Screener> screener;
    private final ScreenedRecords records;

    /** {@code records} remembers every query, so that a list update screens it again and reports new hits. */
    ScreeningRoutes(Supplier<Screener> screener, ScreenedRecords records)
    {
        this.screener = requireNonNull(screener, "screener is null");
        this.records = requireNonNull(records, "records is null");
    }

    @Override
    public void addRoutes(Routes routes)
    {
        routes.post(PATH, (context, user) -> {
            JsonNode body;
            try {
                body = StixJson.parse(context.body());
            }
            catch (JacksonException | VigieException e) {
                throw new VigieException(ErrorCode.INVALID_SCREENING_QUERY, "the body of POST " + PATH + " is not valid JSON: " + e.getMessage(), e);
            }
            List<ScreeningQuery> queries = ScreeningJson.readQueries(body);
            if (queries.size() > MAXIMUM_QUERIES) {
                throw new VigieException(ErrorCode.INVALID_SCREENING_QUERY, "POST " + PATH + " takes at most " + MAXIMUM_QUERIES + " queries, got " + queries.size() + "; use 'vigie screen batch' for files");
            }
            Screener current = screener.get();
            List<List<ScreeningResult>> results = new ArrayList<>(queries.size());
            List<ScreenedRecord> screened = new ArrayList<>(queries.size());
            for (ScreeningQuery query : queries) {
                List<ScreeningResult> hits = current.screen(query);
                results.add(hits);
                screened.add(ScreenedRecord.of(Rescreening.recordId(query), query, hits));
            }
            // One locked append for the whole request, not one per query.
            records.rememberAll(screened);
            context.contentType("application/json").result(StixJson.compact(ScreeningJson.responses(queries, results)));
        });
    }
}
