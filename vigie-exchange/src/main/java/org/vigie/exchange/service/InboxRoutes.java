package org.vigie.exchange.service;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.exchange.partner.Partner;
import org.vigie.exchange.policy.WithheldReference;
import org.vigie.stix.Timestamps;
import org.vigie.stix.json.StixJson;
import org.vigie.taxii.server.PartnerView;
import org.vigie.taxii.server.RouteContributor;
import org.vigie.taxii.server.Routes;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The exchange endpoints on the TAXII server. They authenticate partners by their pinned client
 * certificate themselves (not through the TAXII users), so they are added through Javalin directly.
 */
final class InboxRoutes
        implements RouteContributor
{
    private static final String CERTIFICATE_ATTRIBUTE = "jakarta.servlet.request.X509Certificate";
    private static final String JWS_MEDIA_TYPE = "application/jose";
    private static final String TAXII_MEDIA_TYPE = "application/taxii+json;version=2.1";
    private static final int DEFAULT_LIMIT = 100;
    private static final int MAXIMUM_LIMIT = 1_000;

    private final Inbox inbox;

    InboxRoutes(Inbox inbox)
    {
        this.inbox = requireNonNull(inbox, "inbox is null");
    }

    @Override
    public void addRoutes(Routes routes)
    {
        routes.javalin().addHttpHandler(HandlerType.POST, ExchangeService.INBOX_PATH, this::receive);
        routes.javalin().addHttpHandler(HandlerType.GET, ExchangeService.RECEIPTS_PATH, this::receipt);
        routes.javalin().addHttpHandler(HandlerType.GET, ExchangeService.PULL_PATH, this::pull);
    }

    /**
     * The body is one compact JWS envelope, or several, one per line, in sequence order (a sender
     * catching up); the answer is one signed receipt per envelope looked at, one per line, and the
     * status is that of the last one (every envelope before it was stored).
     */
    private void receive(Context context)
    {
        Partner peer = inbox.authenticate(certificate(context), "POST " + ExchangeService.INBOX_PATH);
        String request = context.body();
        List<String> envelopes = new ArrayList<>();
        int start = 0;
        while (start <= request.length()) {
            int end = request.indexOf('\n', start);
            end = end < 0 ? request.length() : end;
            String line = request.substring(start, end).strip();
            if (!line.isEmpty()) {
                envelopes.add(line);
            }
            start = end + 1;
        }
        if (envelopes.isEmpty()) {
            // An empty body is answered like any malformed envelope.
            envelopes.add("");
        }
        List<Inbox.Answer> answers = inbox.receive(envelopes, peer);
        Receipt last = answers.get(answers.size() - 1).receipt();
        int status = switch (last.status()) {
            case STORED -> 200;
            case VERIFIED -> 503;
            case REJECTED -> switch (last.rejection().orElseThrow()) {
                case MALFORMED, UNSUPPORTED_ALGORITHM -> 400;
                case UNKNOWN_SENDER, SENDER_MISMATCH, BAD_SIGNATURE, WRONG_RECIPIENT -> 403;
                case REPLAYED, OUT_OF_ORDER -> 409;
            };
        };
        StringBuilder body = new StringBuilder();
        for (Inbox.Answer answer : answers) {
            if (!body.isEmpty()) {
                body.append('\n');
            }
            body.append(answer.signed());
        }
        context.status(status).contentType(JWS_MEDIA_TYPE).result(body.toString());
    }

    private void receipt(Context context)
    {
        Partner peer = inbox.authenticate(certificate(context), "GET " + ExchangeService.RECEIPTS_PATH);
        String envelopeId = context.pathParam("envelopeId");
        String receipt = inbox.receipt(envelopeId, peer)
                .orElseThrow(() -> new VigieException(ErrorCode.RESOURCE_NOT_FOUND, "no receipt for envelope " + envelopeId + " received from partner " + peer.id()));
        context.status(200).contentType(JWS_MEDIA_TYPE).result(receipt);
    }

    private void pull(Context context)
    {
        Partner peer = inbox.authenticate(certificate(context), "GET " + ExchangeService.PULL_PATH);
        Optional<Instant> addedAfter = Optional.ofNullable(context.queryParam("added_after")).map(Timestamps::parse);
        int limit = DEFAULT_LIMIT;
        String limitText = context.queryParam("limit");
        if (limitText != null) {
            try {
                limit = Integer.parseInt(limitText);
            }
            catch (NumberFormatException e) {
                throw new VigieException(ErrorCode.INVALID_ARGUMENT, "query parameter limit '" + limitText + "' is not a whole number");
            }
            if (limit < 1) {
                throw new VigieException(ErrorCode.INVALID_ARGUMENT, "query parameter limit must be at least 1, not " + limit);
            }
            limit = Math.min(limit, MAXIMUM_LIMIT);
        }
        Inbox.PulledPage pulled = inbox.pull(peer, context.pathParam("collectionId"), addedAfter, limit, Optional.ofNullable(context.queryParam("next")));
        ObjectNode envelope = JsonNodeFactory.instance.objectNode();
        envelope.put("more", pulled.page().more());
        pulled.page().next().ifPresent(next -> envelope.put("next", next));
        ArrayNode objects = envelope.putArray("objects");
        pulled.plan().objects().forEach(objects::add);
        // Date-added headers cover the page read, so a partner's next added_after skips what was withheld too.
        pulled.page().firstDateAdded().ifPresent(first -> context.header("X-TAXII-Date-Added-First", Timestamps.formatMicros(first)));
        pulled.page().lastDateAdded().ifPresent(last -> context.header("X-TAXII-Date-Added-Last", Timestamps.formatMicros(last)));
        // As the TAXII reads tell it: where references were cut, never the withheld targets.
        List<String> cut = new ArrayList<>();
        for (WithheldReference reference : pulled.plan().withheldReferences()) {
            String item = reference.objectId() + " " + reference.path();
            if (!cut.contains(item)) {
                cut.add(item);
            }
        }
        if (!cut.isEmpty()) {
            context.header(PartnerView.WITHHELD_REFERENCES_HEADER, String.join(", ", cut));
        }
        context.status(200).contentType(TAXII_MEDIA_TYPE).result(StixJson.compact(envelope));
    }

    private static Optional<X509Certificate> certificate(Context context)
    {
        Object certificates = context.req().getAttribute(CERTIFICATE_ATTRIBUTE);
        return certificates instanceof X509Certificate[] chain && chain.length > 0 ? Optional.of(chain[0]) : Optional.empty();
    }
}
