package io.jenkins.plugins.mlstages.deploy;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.utils.TokenRefreshInterceptor;
import io.jenkins.plugins.mlstages.report.InputFiles;
import io.jenkins.plugins.mlstages.report.Secrets;
import io.jenkins.plugins.mlstages.report.UnusableFileException;

/**
 * Where the Kubernetes API is and who we are there, for the KServe and Istio routers: a fabric8 client
 * configuration made from a kubeconfig (its current context: token, client certificate, exec plugin, OIDC auth
 * provider), from an API server and a token, or from the pod's service account. Requests are made by the fabric8
 * client; its own retries are off, the routers retry through their {@link Sleeper}.
 */
public final class KubernetesCluster {
    static final Path SERVICE_ACCOUNT = Path.of("/var/run/secrets/kubernetes.io/serviceaccount");
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** How long an exec plugin may take to print its credential (cloud CLIs take a few seconds). */
    static final Duration EXEC_TIMEOUT = Duration.ofSeconds(60);

    private final Config config;
    private final String source;
    private final Optional<String> namespace;
    /** An exec plugin's token, renewed on a 401 through the same time limit as its first run; empty otherwise. */
    private final Optional<ExecToken> execToken;

    private KubernetesCluster(Config config, String source, Optional<String> namespace) {
        this(config, source, namespace, Optional.empty());
    }

    private KubernetesCluster(Config config, String source, Optional<String> namespace, Optional<ExecToken> execToken) {
        this.execToken = execToken;
        config.setRequestTimeout((int) REQUEST_TIMEOUT.toMillis());
        config.setConnectionTimeout((int) CONNECT_TIMEOUT.toMillis());
        config.setRequestRetryBackoffLimit(0);
        // a server's error message that quotes the token is redacted wherever it is shown
        Secrets.remember(Secrets.bearer(config.getOauthToken()).and(Secrets.bearer(config.getAutoOAuthToken())));
        this.config = config;
        this.source = source;
        this.namespace = namespace;
    }

    /**
     * As kubectl finds it: the given kubeconfig, else {@code $KUBECONFIG} (its first existing file), else
     * {@code ~/.kube/config}, else the pod's service account (in-cluster).
     *
     * @throws IllegalArgumentException when nothing is found or it cannot be used; the message names the file and field
     */
    public static KubernetesCluster resolve(Optional<Path> kubeconfig) {
        return resolve(kubeconfig, System.getenv(), Path.of(System.getProperty("user.home")), SERVICE_ACCOUNT);
    }

    static KubernetesCluster resolve(Optional<Path> explicit, Map<String, String> environment, Path home, Path serviceAccount) {
        Optional<Path> file = explicit;
        if (file.isPresent()) {
            try {
                InputFiles.requireReadable(file.get());
            } catch (UnusableFileException e) {
                throw new IllegalArgumentException("kubeconfig " + e.getMessage(), e);
            }
        } else {
            file = fromEnvironment(environment).or(() -> Optional.of(home.resolve(".kube/config")).filter(Files::isRegularFile));
        }
        if (file.isPresent()) {
            return fromFile(file.get());
        }
        String host = environment.get("KUBERNETES_SERVICE_HOST");
        if (host != null && !host.isBlank() && Files.isRegularFile(serviceAccount.resolve("token"))) {
            return inCluster(host.strip(), environment.getOrDefault("KUBERNETES_SERVICE_PORT", "443"), serviceAccount);
        }
        throw new IllegalArgumentException("no Kubernetes configuration: give a kubeconfig, set KUBECONFIG, create "
                + home.resolve(".kube/config") + ", or run in a pod with a service account");
    }

    /** The first existing file of {@code $KUBECONFIG} (kubectl merges them all; we read the first). */
    private static Optional<Path> fromEnvironment(Map<String, String> environment) {
        String list = environment.get("KUBECONFIG");
        if (list == null || list.isBlank()) {
            return Optional.empty();
        }
        for (String entry : list.split(File.pathSeparator)) {
            if (!entry.isBlank() && Files.isRegularFile(Path.of(entry))) {
                return Optional.of(Path.of(entry));
            }
        }
        throw new IllegalArgumentException("KUBECONFIG names no existing file: " + list);
    }

    /** A kubeconfig file: relative paths resolve against its folder, an exec plugin runs here. */
    static KubernetesCluster fromFile(Path file) {
        return fromFile(file, EXEC_TIMEOUT);
    }

    static KubernetesCluster fromFile(Path file, Duration execTimeout) {
        String source = "kubeconfig " + file;
        byte[] content;
        try {
            content = InputFiles.readAll(file, InputFiles.CONFIG_CAP, "a kubeconfig");
        } catch (UnusableFileException e) {
            throw new IllegalArgumentException("kubeconfig " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException(source + " cannot be read: " + InputFiles.parseProblem(e));
        }
        Kubeconfig.Context context = Kubeconfig.check(Kubeconfig.parse(content, source), source, false, true);
        ConfigSource read = () -> Config.fromKubeconfig(file.toAbsolutePath().toFile());
        Config config = build(source, context, read, execTimeout);
        // kubectl's tokenFile, which fabric8 does not read: read again for each request, relative to the kubeconfig
        context.tokenFile().map(name -> file.toAbsolutePath().getParent().resolve(name))
                .ifPresent(tokenFile -> config.setOauthTokenProvider(() -> readToken(tokenFile)));
        return new KubernetesCluster(config, source, context.namespace(), ExecToken.of(source, context, config, read, execTimeout));
    }

    /**
     * A kubeconfig held in memory, e.g. a Jenkins "Secret file" credential: its current context with inline data
     * only (token, client certificate and key, CA), an OIDC auth provider, or an exec plugin where
     * {@code mayRunPrograms}. A reference to a file of the machine or an unverified server is refused naming the
     * field. Never reads the environment, the home folder or a service account.
     *
     * @param source names the kubeconfig in messages, e.g. {@code credentials 'prod-kube'}
     * @param mayRunPrograms whether an exec plugin may run in this JVM: never on the Jenkins controller
     */
    public static KubernetesCluster fromKubeconfigContent(String yaml, String source, boolean mayRunPrograms) {
        if (yaml == null || yaml.isBlank()) {
            throw new IllegalArgumentException(source + ": the kubeconfig is empty");
        }
        if (yaml.length() > InputFiles.CONFIG_CAP) {
            throw new IllegalArgumentException(source + ": the kubeconfig is larger than " + InputFiles.CONFIG_CAP + " characters");
        }
        Kubeconfig.Context context = Kubeconfig.check(Kubeconfig.parse(yaml.getBytes(StandardCharsets.UTF_8), source), source,
                true, mayRunPrograms);
        ConfigSource read = () -> Config.fromKubeconfig(yaml);
        Config config = build(source, context, read);
        return new KubernetesCluster(config, source, context.namespace(), ExecToken.of(source, context, config, read, EXEC_TIMEOUT));
    }

    /**
     * An API server and a bearer token, e.g. from a Jenkins "Secret text" credential.
     *
     * @param apiServer an https:// URL (http:// only to this machine, so that the token never travels in clear)
     * @param caCertificatePem the PEM text of the CA that signed the API server's certificate; empty for the JVM's trust store
     */
    public static KubernetesCluster withToken(String apiServer, String token, Optional<String> caCertificatePem) {
        Objects.requireNonNull(apiServer, "apiServer");
        Kubeconfig.requireHttpsUnlessLoopback(apiServer, "the Kubernetes API server");
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("the Kubernetes token is empty");
        }
        Config config = Config.empty();
        config.setMasterUrl(apiServer.strip());
        config.setOauthToken(token.strip());
        Objects.requireNonNullElse(caCertificatePem, Optional.<String>empty()).filter(pem -> !pem.isBlank())
                .ifPresent(pem -> config.setCaCertData(Base64.getEncoder().encodeToString(pem.strip().getBytes(StandardCharsets.US_ASCII))));
        return new KubernetesCluster(config, "the Kubernetes API server " + apiServer.strip(), Optional.empty());
    }

    /** The pod's service account: its token file is read again for each request (the kubelet rotates it). */
    private static KubernetesCluster inCluster(String host, String port, Path serviceAccount) {
        Config config = Config.empty();
        config.setMasterUrl("https://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port.strip());
        Path ca = serviceAccount.resolve("ca.crt");
        if (Files.isRegularFile(ca)) {
            config.setCaCertFile(ca.toString());
        }
        Path tokenFile = serviceAccount.resolve("token");
        config.setOauthTokenProvider(() -> readToken(tokenFile));
        Optional<String> namespace = Optional.empty();
        Path namespaceFile = serviceAccount.resolve("namespace");
        if (Files.isRegularFile(namespaceFile)) {
            try {
                namespace = Kubeconfig.present(new String(InputFiles.readAll(namespaceFile, InputFiles.SECRET_CAP, "a namespace file"),
                        StandardCharsets.UTF_8));
            } catch (IOException e) {
                // the default namespace then
            }
        }
        return new KubernetesCluster(config, "the service account in " + serviceAccount, namespace);
    }

    private static String readToken(Path file) {
        try {
            String token = new String(InputFiles.readAll(file, InputFiles.SECRET_CAP, "a token file"), StandardCharsets.UTF_8).strip();
            Secrets.remember(Secrets.bearer(token));
            return token;
        } catch (IOException e) {
            String reason = e instanceof UnusableFileException unusable ? unusable.problem() : e.getMessage();
            throw new DeployException("cannot read the Kubernetes token file " + file + ": " + reason, e);
        }
    }

    private interface ConfigSource {
        Config read();
    }

    /** fabric8's configuration of the checked kubeconfig; an exec plugin that gives no credential is one line. */
    private static Config build(String source, Kubeconfig.Context context, ConfigSource read) {
        return build(source, context, read, EXEC_TIMEOUT);
    }

    private static Config build(String source, Kubeconfig.Context context, ConfigSource read, Duration execTimeout) {
        Config config;
        try {
            config = context.execCommand().isPresent() ? readWithin(source, context.execCommand().get(), read, execTimeout) : read.read();
        } catch (KubernetesClientException | IllegalStateException e) {
            // fabric8's messages may quote the file; say what failed, not what it read
            String running = context.execCommand().map(c -> " (running its exec plugin '" + c + "')").orElse("");
            throw new IllegalArgumentException(source + " could not be used" + running + ": " + e.getClass().getSimpleName());
        }
        if (context.execCommand().isPresent() && isBlank(config.getAutoOAuthToken()) && isBlank(config.getClientCertData())) {
            throw new IllegalArgumentException(source + ": the exec plugin of user '" + context.user().orElse("?") + "' ('"
                    + context.execCommand().get() + "') gave no credential: it must exit 0 and print an ExecCredential with"
                    + " the kubeconfig's apiVersion and a status.token or client certificate");
        }
        return config;
    }

    /**
     * fabric8 runs the exec plugin and reads its output with no time limit (an expired SSO login that waits for a
     * browser, a plugin that prompts on its stdin): read on another thread, and past {@code timeout} end the
     * plugin's processes (so that fabric8's read ends too) and say so in one line.
     */
    private static Config readWithin(String source, String command, ConfigSource read, Duration timeout) {
        Set<Long> before = ProcessHandle.current().children().map(ProcessHandle::pid).collect(Collectors.toSet());
        FutureTask<Config> task = new FutureTask<>(read::read);
        Thread reader = new Thread(task, "kubeconfig exec plugin");
        reader.setDaemon(true);
        reader.start();
        try {
            return task.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // fabric8 starts it as `sh -c 'COMMAND ARGS'`: end only the new children that run this command
            ProcessHandle.current().children().filter(child -> !before.contains(child.pid()))
                    .filter(child -> child.info().arguments().map(args -> String.join(" ", args).contains(command)).orElse(false))
                    .forEach(child -> {
                        child.descendants().forEach(ProcessHandle::destroyForcibly);
                        child.destroyForcibly();
                    });
            task.cancel(true);
            throw new IllegalArgumentException(source + ": the exec plugin ('" + command + "') did not finish within "
                    + Durations.format(timeout) + ": run it by hand to see what it waits for (a login, a prompt)");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            task.cancel(true);
            Thread.currentThread().interrupt();
            throw new DeployException(source + ": interrupted while its exec plugin ran", e);
        }
    }

    private static boolean isBlank(String text) {
        return text == null || text.isBlank();
    }

    /** The API server's URL, e.g. {@code https://10.0.0.1:6443/}. */
    public String server() {
        return config.getMasterUrl();
    }

    /** The namespace of the kubeconfig's context or of the service account, if it names one. */
    public Optional<String> namespace() {
        return namespace;
    }

    /** Where this configuration came from, for messages: never a secret. */
    public String source() {
        return source;
    }

    /** A client for a few requests; the caller closes it. */
    KubernetesClient client() {
        KubernetesClientBuilder builder = new KubernetesClientBuilder().withConfig(config);
        // fabric8's own interceptor re-runs the exec plugin on a 401 (Config.refresh) with no time limit: replaced
        execToken.ifPresent(token -> builder.withHttpClientBuilderConsumer(
                http -> http.addOrReplaceInterceptor(TokenRefreshInterceptor.NAME, token)));
        return builder.build();
    }

    /**
     * The bearer token an exec plugin printed: sent with every request, and renewed when the server answers 401 by
     * running the plugin again through {@link #readWithin} (its time limit), so that a plugin that hangs on a later
     * run ends in one line like on its first. fabric8 does not expose the ExecCredential's expirationTimestamp, so
     * the token is kept until refused (as client-go does when no expiry is given).
     */
    private static final class ExecToken implements Interceptor {
        private final String source;
        private final String command;
        private final ConfigSource read;
        private final Duration timeout;
        private String token;

        private ExecToken(String source, String command, ConfigSource read, Duration timeout, String token) {
            this.source = source;
            this.command = command;
            this.read = read;
            this.timeout = timeout;
            this.token = token;
        }

        /** For an exec plugin that gave a token; a client certificate from one is kept as fabric8 read it. */
        static Optional<ExecToken> of(String source, Kubeconfig.Context context, Config config, ConfigSource read, Duration timeout) {
            if (context.execCommand().isEmpty() || isBlank(config.getAutoOAuthToken())) {
                return Optional.empty();
            }
            return Optional.of(new ExecToken(source, context.execCommand().get(), read, timeout, config.getAutoOAuthToken()));
        }

        private synchronized String token() {
            return token;
        }

        /** Runs the plugin again within the limit; its failure is a {@link DeployException}, which is not retried. */
        private synchronized String renew(String refused) {
            if (!token.equals(refused)) {
                return token; // another request renewed it meanwhile
            }
            Config fresh;
            try {
                fresh = readWithin(source, command, read, timeout);
            } catch (RuntimeException e) {
                throw new IdentityRefusedException(e instanceof IllegalArgumentException || e instanceof DeployException ? e.getMessage()
                        : source + ": its exec plugin ('" + command + "') failed when run again: " + e.getClass().getSimpleName());
            }
            if (isBlank(fresh.getAutoOAuthToken())) {
                throw new IdentityRefusedException(source + ": the exec plugin ('" + command + "') gave no token when run again");
            }
            token = fresh.getAutoOAuthToken();
            Secrets.remember(Secrets.bearer(token));
            return token;
        }

        @Override
        public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
            builder.header(TokenRefreshInterceptor.AUTHORIZATION, "Bearer " + token());
        }

        @Override
        public CompletableFuture<Boolean> afterFailure(BasicBuilder builder, HttpResponse<?> response, RequestTags tags) {
            if (response.code() != 401) {
                return CompletableFuture.completedFuture(false);
            }
            String sent = response.request().header(TokenRefreshInterceptor.AUTHORIZATION);
            String refused = sent != null && sent.startsWith("Bearer ") ? sent.substring("Bearer ".length()) : token();
            String renewed = renew(refused);
            if (renewed.equals(refused)) {
                return CompletableFuture.completedFuture(false);
            }
            builder.setHeader(TokenRefreshInterceptor.AUTHORIZATION, "Bearer " + renewed);
            return CompletableFuture.completedFuture(true);
        }
    }

    @Override
    public String toString() {
        return "KubernetesCluster[" + source + ", server=" + server() + "]";
    }
}
