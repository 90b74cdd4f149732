package io.jenkins.plugins.mlstages.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.jenkins.plugins.mlstages.deploy.HttpRouter;
import io.jenkins.plugins.mlstages.deploy.KServeConfig;
import io.jenkins.plugins.mlstages.deploy.KServeRouter;
import io.jenkins.plugins.mlstages.deploy.NginxRouter;
import io.jenkins.plugins.mlstages.deploy.NginxRouterConfig;
import io.jenkins.plugins.mlstages.deploy.Sleeper;
import io.jenkins.plugins.mlstages.deploy.TrafficRouter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What splits the traffic between the stable and the new version ({@code --router nginx|kserve|istio|http} with each
 * router's options), and the {@link TrafficRouter} built from them; shared by the deployment commands that move
 * traffic (canary, blue-green, ...). The help of the two nginx servers names the versions as the command calls
 * them (resource bundle keys {@code stable-server} and {@code canary-server}).
 */
final class TrafficRouterOptions {
    /** The http router's bearer token: only from the environment, never the command line. */
    static final String ROUTER_TOKEN = "MLSTAGES_ROUTER_TOKEN";

    @Option(names = "--router", paramLabel = "nginx|kserve|istio|http", description = "what splits the traffic")
    String router;

    @Option(names = "--nginx-config", paramLabel = "PATH", description = "nginx: the upstream file the router owns")
    Path nginxConfig;

    @Option(names = "--nginx-upstream", paramLabel = "NAME", description = "nginx: the upstream's name")
    String nginxUpstream;

    @Option(names = "--stable-server", paramLabel = "HOST:PORT", descriptionKey = "stable-server",
            description = "nginx: the stable version's server")
    String stableServer;

    @Option(names = "--canary-server", paramLabel = "HOST:PORT", descriptionKey = "canary-server",
            description = "nginx: the canary version's server")
    String canaryServer;

    @Option(names = "--nginx-test-command", paramLabel = "CMD", description = "nginx: checks the configuration (default: nginx -t)")
    String nginxTestCommand;

    @Option(names = "--nginx-reload-command", paramLabel = "CMD", description = "nginx: applies it (default: nginx -s reload)")
    String nginxReloadCommand;

    @Mixin
    KubernetesOptions kubernetes;

    @Mixin
    IstioOptions istio;

    @Option(names = "--inference-service", paramLabel = "NAME", description = "kserve: the InferenceService")
    String inferenceService;

    @Option(names = "--canary-storage-uri", paramLabel = "URI", descriptionKey = "canary-storage-uri",
            description = "kserve: the canary model's storageUri")
    String canaryStorageUri;

    @Option(names = "--router-url", paramLabel = "URL", description = "http: the webhook (bearer token from $" + ROUTER_TOKEN + ")")
    String routerUrl;

    /**
     * The router the options describe; each missing option is one line naming it.
     *
     * @param env where the http router's token comes from ({@value #ROUTER_TOKEN})
     * @param httpTimeout how long one webhook call may take
     */
    TrafficRouter router(Map<String, String> env, Duration httpTimeout) {
        require(router, "--router");
        switch (router) {
            case "nginx": {
                require(nginxConfig, "--nginx-config");
                require(nginxUpstream, "--nginx-upstream");
                require(stableServer, "--stable-server");
                require(canaryServer, "--canary-server");
                NginxRouterConfig config = NginxRouterConfig.of(nginxConfig, nginxUpstream, stableServer, canaryServer);
                return new NginxRouter(new NginxRouterConfig(config.configFile(), config.upstream(), config.stableServer(),
                        config.canaryServer(), command("--nginx-test-command", nginxTestCommand, config.testCommand()),
                        command("--nginx-reload-command", nginxReloadCommand, config.reloadCommand()), config.commandTimeout()));
            }
            case "kserve":
                require(inferenceService, "--inference-service");
                return new KServeRouter(KServeConfig.of(kubernetes.cluster(), kubernetes.namespace, inferenceService,
                        Optional.ofNullable(canaryStorageUri), kubernetes.readyTimeout()));
            case "istio":
                return istio.router(kubernetes, router, false, Sleeper.SYSTEM);
            case "http":
                require(routerUrl, "--router-url");
                return new HttpRouter(routerUrl, token(env, ROUTER_TOKEN), httpTimeout);
            default:
                throw new IllegalArgumentException("--router must be nginx, kserve, istio or http, was '" + router + "'");
        }
    }

    /** A command option's words (split at white space, no shell); {@code fallback} when not given. */
    static List<String> command(String option, String text, List<String> fallback) {
        if (text == null) {
            return fallback;
        }
        List<String> words = Arrays.stream(text.strip().split("\\s+")).filter(w -> !w.isEmpty()).toList();
        if (words.isEmpty()) {
            throw new IllegalArgumentException(option + " must not be empty");
        }
        return words;
    }

    /** A bearer token from the environment; empty when unset or blank. */
    static Optional<String> token(Map<String, String> env, String variable) {
        String token = env.get(variable);
        return token == null || token.isBlank() ? Optional.empty() : Optional.of(token.strip());
    }

    private void require(Object value, String option) {
        if (value == null) {
            throw new IllegalArgumentException("missing " + option + (option.equals("--router") ? "" : " with --router " + router));
        }
    }
}
