package org.vigie.pattern.cli;

import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.pattern.CompiledPattern;
import org.vigie.pattern.Observation;
import org.vigie.pattern.PatternMatch;
import org.vigie.stix.json.StixJson;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code vigie pattern eval}: reads JSON lines {@code {"pattern": "...", "observed": [objects]}} and
 * writes one line per case: {@code {"result": "match"|"no-match"|"invalid", "matched": [ids], "error": "..."}}.
 * {@code matched} lists the observed-data of the first match (fewest observations, then input order);
 * {@code matches} lists every match (at most {@link #MAXIMUM_REPORTED_MATCHES}); {@code error} is present
 * only for invalid cases (a bad pattern, bad JSON or bad observed data). Blank lines are skipped.
 */
public final class PatternEvalTool
{
    public static final int MAXIMUM_REPORTED_MATCHES = 100;

    private PatternEvalTool() {}

    /** Returns the exit code: 0 (each case's outcome is in its output line). */
    public static int run(BufferedReader in, Writer out)
    {
        try {
            String line;
            int lineNumber = 0;
            while ((line = in.readLine()) != null) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                out.write(StixJson.compact(evaluate(line, lineNumber)));
                out.write('\n');
            }
            out.flush();
            return 0;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One case's result object. */
    public static ObjectNode evaluate(String line, int lineNumber)
    {
        ObjectNode result = StixJson.mapper().createObjectNode();
        try {
            JsonNode input = StixJson.parse(line);
            JsonNode pattern = input.get("pattern");
            if (pattern == null || !pattern.isString()) {
                throw new VigieException(ErrorCode.INVALID_ARGUMENT, "line " + lineNumber + ": \"pattern\" must be a string");
            }
            JsonNode observed = input.path("observed");
            if (!observed.isArray()) {
                throw new VigieException(ErrorCode.INVALID_ARGUMENT, "line " + lineNumber + ": \"observed\" must be an array of STIX objects");
            }
            CompiledPattern compiled = CompiledPattern.parse(pattern.stringValue());
            List<JsonNode> objects = new ArrayList<>();
            observed.forEach(objects::add);
            List<PatternMatch> matches = compiled.evaluate(Observation.fromObjects(objects));
            result.put("result", matches.isEmpty() ? "no-match" : "match");
            ArrayNode matched = result.putArray("matched");
            if (!matches.isEmpty()) {
                matches.get(0).observedDataIds().forEach(matched::add);
            }
            ArrayNode all = result.putArray("matches");
            for (PatternMatch match : matches.subList(0, Math.min(matches.size(), MAXIMUM_REPORTED_MATCHES))) {
                ArrayNode ids = all.addArray();
                match.observedDataIds().forEach(ids::add);
            }
        }
        catch (VigieException e) {
            result.removeAll();
            result.put("result", "invalid");
            result.putArray("matched");
            result.put("error", e.getMessage());
        }
        return result;
    }
}
