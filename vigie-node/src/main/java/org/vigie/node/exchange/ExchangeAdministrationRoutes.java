package org.vigie.node.exchange;

import com.nimbusds.jose.jwk.OctetKeyPair;
import io.javalin.http.Context;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.exchange.canonical.CanonicalJson;
import org.vigie.exchange.partner.Partner;
import org.vigie.exchange.partner.PartnerRegistry;
import org.vigie.exchange.partner.TrustGroup;
import org.vigie.exchange.partner.TrustGroupKind;
import org.vigie.exchange.policy.ReleasePolicy;
import org.vigie.stix.json.StixJson;
import org.vigie.taxii.auth.AuthenticatedUser;
import org.vigie.taxii.server.RouteContributor;
import org.vigie.taxii.server.Routes;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import static java.util.Objects.requireNonNull;

/**
 * HTTP administration of partners, trust groups and the release policy, for node administrators only
 * (403 otherwise, as a TAXII error resource like every other refusal of the node):
 *
 * <pre>
 * GET    /admin/exchange/partners                 list
 * POST   /admin/exchange/partners                 add (409 if the id is taken)
 * GET    /admin/exchange/partners/{id}            show (404 if unknown)
 * PUT    /admin/exchange/partners/{id}            change the properties given, keep the others
 * DELETE /admin/exchange/partners/{id}            remove (and its memberships)
 * GET    /admin/exchange/groups                   list
 * POST   /admin/exchange/groups                   create (409 if the id is taken)
 * GET    /admin/exchange/groups/{id}              show
 * PUT    /admin/exchange/groups/{id}/members      replace the members
 * DELETE /admin/exchange/groups/{id}              remove (its partners stay)
 * GET    /admin/exchange/policy                   the policy in effect and its SHA-256
 * PUT    /admin/exchange/policy                   validate and replace it
 * </pre>
 *
 * Changes go through the same code as {@code vigie partner|group|policy} (a {@link PartnerRegistry#jdbc}
 * registry, {@link ExchangeStorage#setPolicy}), so each is appended to the audit ledger in its own
 * transaction, with actor {@code http:<user>}.
 */
final class ExchangeAdministrationRoutes
        implements RouteContributor
{
    static final String PREFIX = "/admin/exchange";
    private static final Set<String> PARTNER_PROPERTIES = Set.of("id", "name", "identity_id", "endpoint", "certificate", "signing_key");
    private static final Set<String> GROUP_PROPERTIES = Set.of("id", "name", "kind", "members");
    private static final Set<String> MEMBERS_PROPERTIES = Set.of("members");

    private final ExchangeStorage storage;

    ExchangeAdministrationRoutes(ExchangeStorage storage)
    {
        this.storage = requireNonNull(storage, "storage is null");
    }

    @Override
    public void addRoutes(Routes routes)
    {
        routes.get(PREFIX + "/partners", administrators(this::listPartners));
        routes.post(PREFIX + "/partners", administrators(this::addPartner));
        routes.get(PREFIX + "/partners/{partnerId}", administrators(this::showPartner));
        routes.put(PREFIX + "/partners/{partnerId}", administrators(this::changePartner));
        routes.delete(PREFIX + "/partners/{partnerId}", administrators(this::removePartner));
        routes.get(PREFIX + "/groups", administrators(this::listGroups));
        routes.post(PREFIX + "/groups", administrators(this::createGroup));
        routes.get(PREFIX + "/groups/{groupId}", administrators(this::showGroup));
        routes.put(PREFIX + "/groups/{groupId}/members", administrators(this::changeMembers));
        routes.delete(PREFIX + "/groups/{groupId}", administrators(this::removeGroup));
        routes.get(PREFIX + "/policy", administrators(this::showPolicy));
        routes.put(PREFIX + "/policy", administrators(this::replacePolicy));
    }

    private static Routes.AuthenticatedHandler administrators(Routes.AuthenticatedHandler handler)
    {
        return (context, user) -> {
            if (!user.administrator()) {
                throw new VigieException(ErrorCode.ACCESS_DENIED, context.method() + " " + context.path() + ": partner, trust group and policy administration is for administrators only, and "
                        + user.name() + " is not one");
            }
            handler.handle(context, user);
        };
    }

    // --- partners -------------------------------------------------------------------------------

    private void listPartners(Context context, AuthenticatedUser user)
    {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ArrayNode partners = body.putArray("partners");
        PartnerRegistry registry = storage.registry();
        registry.partners().forEach(partner -> partners.add(partnerJson(registry, partner)));
        write(context, 200, body);
    }

    private void showPartner(Context context, AuthenticatedUser user)
    {
        PartnerRegistry registry = storage.registry();
        write(context, 200, partnerJson(registry, registry.requirePartner(context.pathParam("partnerId"))));
    }

    private void addPartner(Context context, AuthenticatedUser user)
    {
        String where = "POST " + PREFIX + "/partners";
        JsonNode body = body(context, where, PARTNER_PROPERTIES);
        String id = requiredText(body, "id", where);
        if (storage.registry().partner(id).isPresent()) {
            throw new VigieException(ErrorCode.PARTNER_EXISTS, where + ": partner '" + id + "' is already registered; change it with PUT " + PREFIX + "/partners/" + id);
        }
        List<String> warnings = new ArrayList<>();
        Partner partner = new Partner(id,
                optionalText(body, "name", where).orElse(id),
                requiredText(body, "identity_id", where),
                PartnerAdministration.endpoint(id, requiredText(body, "endpoint", where), "endpoint"),
                fingerprint(id, requiredText(body, "certificate", where)),
                signingKey(id, body, where, warnings).orElseThrow(() -> missing("signing_key", where)));
        registry(user).putPartner(partner);
        write(context, 201, withWarnings(partnerJson(storage.registry(), partner), warnings));
    }

    private void changePartner(Context context, AuthenticatedUser user)
    {
        String id = context.pathParam("partnerId");
        String where = "PUT " + PREFIX + "/partners/" + id;
        Partner existing = storage.registry().requirePartner(id);
        JsonNode body = body(context, where, PARTNER_PROPERTIES);
        Optional<String> bodyId = optionalText(body, "id", where);
        if (bodyId.isPresent() && !bodyId.get().equals(id)) {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, where + ": property 'id' is '" + bodyId.get() + "', but a partner's id cannot change (remove it and add the new one)");
        }
        List<String> warnings = new ArrayList<>();
        Optional<String> endpoint = optionalText(body, "endpoint", where);
        Optional<String> certificate = optionalText(body, "certificate", where);
        Partner changed = new Partner(id,
                optionalText(body, "name", where).orElse(existing.name()),
                optionalText(body, "identity_id", where).orElse(existing.identityId()),
                endpoint.isPresent() ? PartnerAdministration.endpoint(id, endpoint.get(), "endpoint") : existing.endpoint(),
                certificate.isPresent() ? fingerprint(id, certificate.get()) : existing.certificateSha256(),
                signingKey(id, body, where, warnings).orElse(existing.signingKey()));
        registry(user).putPartner(changed);
        write(context, 200, withWarnings(partnerJson(storage.registry(), changed), warnings));
    }

    private void removePartner(Context context, AuthenticatedUser user)
    {
        String id = context.pathParam("partnerId");
        storage.registry().requirePartner(id);
        registry(user).removePartner(id);
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("removed_partner", id);
        write(context, 200, body);
    }

    private static ObjectNode partnerJson(PartnerRegistry registry, Partner partner)
    {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("id", partner.id());
        node.put("name", partner.name());
        node.put("identity_id", partner.identityId());
        node.put("endpoint", partner.endpoint().toString());
        node.put("certificate_sha256", partner.certificateSha256());
        node.set("signing_key", StixJson.parse(partner.signingKey().toPublicJWK().toJSONString()));
        ArrayNode groups = node.putArray("groups");
        registry.groupIdsOf(partner.id()).forEach(groups::add);
        return node;
    }

    private static String fingerprint(String partnerId, String pem)
    {
        return Certificates.fingerprint(Certificates.parse(pem.getBytes(StandardCharsets.US_ASCII), "partner " + partnerId + ": property 'certificate'"));
    }

    /** The JWK, given as a JSON object or as its text; empty when the property is absent. */
    private static Optional<OctetKeyPair> signingKey(String partnerId, JsonNode body, String where, List<String> warnings)
    {
        JsonNode value = body.get("signing_key");
        if (value == null) {
            return Optional.empty();
        }
        if (!value.isObject() && !value.isString()) {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, where + ": property 'signing_key' must be the partner's public Ed25519 JWK, as a JSON object or its text");
        }
        OctetKeyPair key = PartnerAdministration.signingKey(partnerId, value.isString() ? value.stringValue() : StixJson.compact(value), "property 'signing_key'");
        if (key.isPrivate()) {
            warnings.add("property 'signing_key' held a private key; only its public part is kept. The partner should create a new key, since its private key was shared.");
        }
        return Optional.of(key);
    }

    // --- trust groups ----------------------------------------------------------------------------

    private void listGroups(Context context, AuthenticatedUser user)
    {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ArrayNode groups = body.putArray("groups");
        storage.registry().groups().forEach(group -> groups.add(groupJson(group)));
        write(context, 200, body);
    }

    private void showGroup(Context context, AuthenticatedUser user)
    {
        write(context, 200, groupJson(requireGroup(context.pathParam("groupId"))));
    }

    private void createGroup(Context context, AuthenticatedUser user)
    {
        String where = "POST " + PREFIX + "/groups";
        JsonNode body = body(context, where, GROUP_PROPERTIES);
        String id = requiredText(body, "id", where);
        if (storage.registry().group(id).isPresent()) {
            throw new VigieException(ErrorCode.PARTNER_EXISTS, where + ": trust group '" + id + "' already exists; change its members with PUT " + PREFIX + "/groups/" + id + "/members");
        }
        TrustGroupKind kind = PartnerAdministration.groupKind(id, requiredText(body, "kind", where), "kind");
        TrustGroup group = new TrustGroup(id, optionalText(body, "name", where).orElse(id), kind, members(body, where));
        PartnerAdministration.putGroup(registry(user), group);
        write(context, 201, groupJson(group));
    }

    private void changeMembers(Context context, AuthenticatedUser user)
    {
        String id = context.pathParam("groupId");
        String where = "PUT " + PREFIX + "/groups/" + id + "/members";
        TrustGroup existing = requireGroup(id);
        JsonNode body = body(context, where, MEMBERS_PROPERTIES);
        TrustGroup changed = new TrustGroup(id, existing.name(), existing.kind(), members(body, where));
        PartnerAdministration.putGroup(registry(user), changed);
        write(context, 200, groupJson(changed));
    }

    private void removeGroup(Context context, AuthenticatedUser user)
    {
        String id = context.pathParam("groupId");
        requireGroup(id);
        registry(user).removeGroup(id);
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("removed_group", id);
        write(context, 200, body);
    }

    private TrustGroup requireGroup(String id)
    {
        return storage.registry().group(id).orElseThrow(() -> new VigieException(ErrorCode.PARTNER_NOT_FOUND, "no trust group with id '" + id + "' is registered"));
    }

    private static ObjectNode groupJson(TrustGroup group)
    {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("id", group.id());
        node.put("name", group.name());
        node.put("kind", group.kind().name().toLowerCase(Locale.ROOT));
        ArrayNode members = node.putArray("members");
        group.memberPartnerIds().forEach(members::add);
        return node;
    }

    private static List<String> members(JsonNode body, String where)
    {
        JsonNode value = body.get("members");
        if (value == null || !value.isArray() || value.isEmpty()) {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, where + ": property 'members' is required: a non-empty array of partner ids");
        }
        List<String> members = new ArrayList<>();
        for (JsonNode member : value.values()) {
            if (!member.isString() || member.stringValue().isBlank()) {
                throw new VigieException(ErrorCode.INVALID_ARGUMENT, where + ": property 'members' must hold partner ids (non-blank strings), found " + member);
            }
            members.add(member.stringValue());
        }
        return members;
    }

    // --- release policy ---------------------------------------------------------------------------

    private void showPolicy(Context context, AuthenticatedUser user)
    {
        // Read strictly, as 'vigie policy show': a broken stored policy is an error here, not shown as deny-all.
        Optional<ReleasePolicy> stored = storage.policy().stored();
        write(context, 200, policyJson(stored.orElseGet(ReleasePolicy::denyAll), stored.isPresent()));
    }

    private void replacePolicy(Context context, AuthenticatedUser user)
    {
        String where = "PUT " + PREFIX + "/policy";
        ReleasePolicy policy;
        try {
            policy = ReleasePolicy.fromJson(parse(context, where));
        }
        catch (VigieException e) {
            throw new VigieException(e.errorCode(), where + ": " + e.getMessage(), e);
        }
        storage.setPolicy(policy, actor(user));
        write(context, 200, policyJson(policy, true));
    }

    private static ObjectNode policyJson(ReleasePolicy policy, boolean stored)
    {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.set("policy", policy.toJson());
        node.put("sha256", CanonicalJson.sha256Hex(policy.toJson()));
        // Without a stored policy every release is denied.
        node.put("stored", stored);
        return node;
    }

    // --- helpers -----------------------------------------------------------------------------------

    /** A registry whose changes are audited with this user as the actor: the same registry the commands use. */
    private PartnerRegistry registry(AuthenticatedUser user)
    {
        return PartnerRegistry.jdbc(storage.database(), storage.ledger(), actor(user));
    }

    private static String actor(AuthenticatedUser user)
    {
        return "http:" + user.name();
    }

    private static JsonNode body(Context context, String where, Set<String> known)
    {
        JsonNode body = parse(context, where);
        if (!body.isObject()) {
            throw new VigieException(ErrorCode.INVALID_JSON, where + ": the body must be a JSON object");
        }
        for (String property : body.propertyNames()) {
            if (!known.contains(property)) {
                throw new VigieException(ErrorCode.INVALID_ARGUMENT, where + ": unknown property '" + property + "' (known: " + String.join(", ", new TreeSet<>(known)) + ")");
            }
        }
        return body;
    }

    private static JsonNode parse(Context context, String where)
    {
        String text = context.body();
        if (text.isBlank()) {
            throw new VigieException(ErrorCode.INVALID_JSON, where + ": the body is empty; a JSON object is expected");
        }
        try {
            return StixJson.parse(text);
        }
        catch (VigieException e) {
            throw new VigieException(ErrorCode.INVALID_JSON, where + ": the body is not valid JSON: " + e.getMessage(), e);
        }
    }

    private static String requiredText(JsonNode body, String property, String where)
    {
        return optionalText(body, property, where).orElseThrow(() -> missing(property, where));
    }

    private static Optional<String> optionalText(JsonNode body, String property, String where)
    {
        JsonNode value = body.get(property);
        if (value == null) {
            return Optional.empty();
        }
        if (!value.isString() || value.stringValue().isBlank()) {
            throw new VigieException(ErrorCode.INVALID_ARGUMENT, where + ": property '" + property + "' must be a non-blank string, not " + value);
        }
        return Optional.of(value.stringValue());
    }

    private static VigieException missing(String property, String where)
    {
        return new VigieException(ErrorCode.INVALID_ARGUMENT, where + ": property '" + property + "' is required");
    }

    private static ObjectNode withWarnings(ObjectNode node, List<String> warnings)
    {
        if (!warnings.isEmpty()) {
            ArrayNode array = node.putArray("warnings");
            warnings.forEach(array::add);
        }
        return node;
    }

    private static void write(Context context, int status, JsonNode body)
    {
        context.status(status).contentType("application/json").result(StixJson.compact(body));
    }
}
