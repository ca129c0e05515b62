package org.vigie.node.exchange;

import org.vigie.exchange.canonical.CanonicalJson;
import org.vigie.exchange.policy.ReleasePolicy;
import org.vigie.node.cli.CommandContext;
import org.vigie.stix.json.StixJson;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

@CommandLine.Command(name = "policy", mixinStandardHelpOptions = true, description = "Show or set the release policy (kept in the exchange database, shared by every process of the node).")
final class PolicyCommand
        implements Runnable
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run()
    {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required (show, set)");
    }

    @CommandLine.Command(name = "show", mixinStandardHelpOptions = true, description = "Print the release policy in effect (canonical JSON) and its SHA-256.")
    static final class Show
            implements Callable<Integer>
    {
        private final CommandContext context;

        @CommandLine.Mixin
        ExchangeDataDirectory dataDirectory;

        Show(CommandContext context)
        {
            this.context = requireNonNull(context, "context is null");
        }

        @Override
        public Integer call()
        {
            try (ExchangeStorage storage = dataDirectory.openExisting(context)) {
                // Read strictly: a broken stored policy is reported here rather than shown as deny-all.
                Optional<ReleasePolicy> stored = storage.policy().stored();
                ReleasePolicy policy = stored.orElseGet(ReleasePolicy::denyAll);
                if (stored.isPresent()) {
                    context.err().println("release policy from the exchange database " + storage.location());
                }
                else {
                    context.err().println("no release policy in the exchange database " + storage.location() + ": every release is denied");
                }
                context.out().println(pretty(policy));
                context.err().println("sha256 " + CanonicalJson.sha256Hex(policy.toJson()));
                return 0;
            }
        }
    }

    @CommandLine.Command(name = "set", mixinStandardHelpOptions = true,
            description = "Validate a policy file and make it the release policy; recorded in the audit ledger (name and SHA-256). A running node applies it at its next release.")
    static final class Set
            implements Callable<Integer>
    {
        private final CommandContext context;

        @CommandLine.Mixin
        ExchangeDataDirectory dataDirectory;

        @CommandLine.Parameters(index = "0", paramLabel = "FILE", description = "The policy JSON (see docs/EXCHANGE.md, Policy JSON).")
        Path source;

        Set(CommandContext context)
        {
            this.context = requireNonNull(context, "context is null");
        }

        @Override
        public Integer call()
        {
            ReleasePolicy policy = PolicyFile.parse(source);
            try (ExchangeStorage storage = dataDirectory.open(context)) {
                storage.setPolicy(policy, ExchangeDataDirectory.actor());
                context.out().println("release policy '" + policy.name() + "' with " + policy.rules().size() + " rule(s) is in effect, sha256 " + CanonicalJson.sha256Hex(policy.toJson()));
                return 0;
            }
        }
    }

    static String pretty(ReleasePolicy policy)
    {
        return StixJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(policy.toJson());
    }
}
