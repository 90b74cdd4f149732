package io.jenkins.plugins.mlstages.report;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Credentials, and the one way they are taken out of text: every occurrence of a credential is
 * replaced by {@link #MARK}. A server or proxy that echoes our request (many do on 401, 403 or 500)
 * puts the {@code Authorization} header into the error text we report; this is what keeps it out of
 * messages, logs, reports, the canary state and the report page.
 *
 * <p>What is found: a bearer token and its {@code Bearer <token>} header value; a password, the
 * {@code user:password} pair, its base64 and the {@code Basic <base64>} header value. Each however its
 * characters are written: as themselves, JSON-escaped ({@code \u0041}, {@code \/}), percent-encoded
 * ({@code %2B}, {@code +} for a space) or as HTML character references, since an echoed request often
 * comes back inside a JSON or HTML body or a URL.
 *
 * <p>Short values: a value shorter than {@link #MIN_LENGTH} characters is not replaced on its own,
 * since replacing every {@code pw} would garble all text and, by its pattern, disclose the password.
 * The forms we actually send are always replaced, whatever their length: the {@code Bearer}/{@code Basic}
 * header values (at least 8 characters with their scheme) and the pair and base64 of 8 characters and
 * more; we never print a credential ourselves.
 *
 * <p>Instances are immutable. The process-wide set {@link #known()} holds every credential the process
 * has {@linkplain #remember remembered} (the registry's and the canary's, at the moment they are
 * configured); every writer of text that leaves the process or is stored redacts with it: the error
 * text of servers where it becomes our message (with the exact credentials of that connection, before
 * it is shortened), and as the safety net the CLI's stdout and stderr, every JSON written through
 * {@link ReportWriter#newMapper()} (reports, the canary state, the report page) and the plugin's build log.
 */
public final class Secrets {
    /** What a credential is replaced with; the same whatever its length, so that the length is not told either. */
    public static final String MARK = "****";

    /** Values shorter than this are replaced only in the header forms we send (see the class comment). */
    public static final int MIN_LENGTH = 8;

    /**
     * The process remembers at most this many forms, the least recently remembered forgotten first (a token
     * file the kubelet rotates), so that a credential remembered again and again (the registry's) stays.
     */
    static final int MAX_KNOWN = 512;

    private static final Secrets NONE = new Secrets(List.of());
    private static final Map<String, Form> KNOWN = new LinkedHashMap<>();
    private static volatile Secrets known = NONE;

    /**
     * One form of a credential: the regular expression that finds it however written, its length (for
     * ordering), and the characters it can start with (so that most positions of a text are passed over at once).
     */
    private record Form(String regex, int length, String firstChars) {
    }

    private final List<Form> forms;
    private final Pattern pattern;

    private Secrets(List<Form> forms) {
        List<Form> sorted = new ArrayList<>(forms);
        // the longest first, so that "Bearer <token>" is replaced whole rather than its token alone
        sorted.sort(Comparator.comparingInt(Form::length).reversed());
        this.forms = List.copyOf(sorted);
        String starts = sorted.stream().flatMapToInt(f -> f.firstChars().codePoints()).distinct()
                .mapToObj(c -> String.format(Locale.ROOT, "\\x{%x}", c)).collect(Collectors.joining());
        String anyForm = sorted.stream().map(f -> "(?:" + f.regex() + ")").collect(Collectors.joining("|"));
        this.pattern = sorted.isEmpty() ? null : Pattern.compile("(?=[" + starts + "])(?:" + anyForm + ")");
    }

    public static Secrets none() {
        return NONE;
    }

    /** A bearer token: the token and {@code Bearer <token>}. Nothing for a null or blank token. */
    public static Secrets bearer(String token) {
        if (token == null || token.isBlank()) {
            return NONE;
        }
        List<Form> forms = new ArrayList<>();
        forms.add(scheme("Bearer", token));
        bare(token, forms);
        String stripped = token.strip();
        if (!stripped.equals(token)) {
            // the CLI and the adapters send the token stripped
            forms.add(scheme("Bearer", stripped));
            bare(stripped, forms);
        }
        return new Secrets(forms);
    }

    /**
     * HTTP basic credentials: the password, {@code user:password}, its base64, and {@code Basic <base64>}.
     * The user name alone is not a secret. Nothing when both are null or empty.
     */
    public static Secrets basic(String username, String password) {
        String user = username == null ? "" : username;
        String secret = password == null ? "" : password;
        if (user.isEmpty() && secret.isEmpty()) {
            return NONE;
        }
        String pair = user + ":" + secret;
        String base64 = Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
        List<Form> forms = new ArrayList<>();
        forms.add(scheme("Basic", base64));
        bare(base64, forms);
        bare(pair, forms);
        bare(secret, forms);
        return new Secrets(forms);
    }

    /** These credentials and those. */
    public Secrets and(Secrets other) {
        if (other.forms.isEmpty()) {
            return this;
        }
        if (forms.isEmpty()) {
            return other;
        }
        List<Form> all = new ArrayList<>(forms);
        other.forms.stream().filter(f -> !forms.contains(f)).forEach(all::add);
        return new Secrets(all);
    }

    public boolean isEmpty() {
        return forms.isEmpty();
    }

    /** {@code text} with every credential replaced by {@link #MARK}; null stays null. */
    public String redact(String text) {
        if (pattern == null || text == null || text.isEmpty()) {
            return text;
        }
        Matcher matcher = pattern.matcher(text);
        return matcher.find() ? matcher.replaceAll(Matcher.quoteReplacement(MARK)) : text;
    }

    /**
     * Adds {@code secrets} to the credentials this process holds ({@link #known()}).
     *
     * @return {@code secrets}, for chaining
     */
    public static Secrets remember(Secrets secrets) {
        if (secrets.isEmpty()) {
            return secrets;
        }
        synchronized (KNOWN) {
            boolean added = false;
            for (Form form : secrets.forms) {
                // Removed and put again: the form becomes the most recent, the last one forgotten.
                added |= KNOWN.remove(form.regex()) == null;
                KNOWN.put(form.regex(), form);
            }
            if (added) {
                while (KNOWN.size() > MAX_KNOWN) {
                    KNOWN.remove(KNOWN.keySet().iterator().next());
                }
                known = new Secrets(new ArrayList<>(KNOWN.values()));
            }
        }
        return secrets;
    }

    /** Every credential this process holds: what the writers of logs, reports and state files redact. */
    public static Secrets known() {
        return known;
    }

    /** {@code text} without any credential this process holds. */
    public static String redactKnown(String text) {
        return known.redact(text);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secrets other && forms.equals(other.forms);
    }

    @Override
    public int hashCode() {
        return forms.hashCode();
    }

    /** Never the credentials: how many forms are known. */
    @Override
    public String toString() {
        return "Secrets[" + forms.size() + " forms]";
    }

    // ---- how a form is found ---------------------------------------------------------------------

    /** {@code value} on its own, when long enough to be replaced everywhere. */
    private static void bare(String value, List<Form> forms) {
        int length = value.codePointCount(0, value.length());
        if (length >= MIN_LENGTH) {
            forms.add(new Form(anyEncoding(value), length, firstChars(value)));
        }
    }

    /** {@code <scheme> <value>} as in an Authorization header: scheme in any case, any run of spaces (or {@code +}, {@code %20}). */
    private static Form scheme(String scheme, String value) {
        String regex = "(?i:" + Pattern.quote(scheme) + ")(?:[ \\t]|\\+|%20|\\\\u0020|&#0*32;)+" + anyEncoding(value);
        String first = scheme.substring(0, 1);
        return new Form(regex, scheme.length() + 1 + value.codePointCount(0, value.length()),
                first.toLowerCase(Locale.ROOT) + first.toUpperCase(Locale.ROOT));
    }

    /** What {@code value} can start with: itself, or an escape (JSON {@code \}, percent {@code %}, HTML {@code &}). */
    private static String firstChars(String value) {
        String first = new String(Character.toChars(value.codePointAt(0)));
        return first + "\\%&" + (first.equals(" ") ? "+" : "");
    }

    /** A regular expression matching {@code value} with each character written as itself or in any of the encodings. */
    static String anyEncoding(String value) {
        StringBuilder regex = new StringBuilder();
        value.codePoints().forEach(cp -> regex.append(anyEncoding(cp)));
        return regex.toString();
    }

    private static String anyEncoding(int cp) {
        List<String> ways = new ArrayList<>();
        String literal = new String(Character.toChars(cp));
        ways.add(Character.isLetterOrDigit(cp) ? literal : Pattern.quote(literal));
        // JSON: \\uXXXX per UTF-16 unit (as ensure_ascii writers do), and the short escapes
        StringBuilder json = new StringBuilder();
        for (char unit : literal.toCharArray()) {
            json.append("\\\\u").append(hex(String.format(Locale.ROOT, "%04x", (int) unit)));
        }
        ways.add(json.toString());
        switch (cp) {
            case '"': ways.add("\\\\\""); break;
            case '\\': ways.add("\\\\\\\\"); break;
            case '/': ways.add("\\\\/"); break;
            case '\b': ways.add("\\\\b"); break;
            case '\f': ways.add("\\\\f"); break;
            case '\n': ways.add("\\\\n"); break;
            case '\r': ways.add("\\\\r"); break;
            case '\t': ways.add("\\\\t"); break;
            default: break;
        }
        // percent-encoding of the UTF-8 bytes; a space also as +
        StringBuilder percent = new StringBuilder();
        for (byte b : literal.getBytes(StandardCharsets.UTF_8)) {
            percent.append('%').append(hex(String.format(Locale.ROOT, "%02x", b & 0xff)));
        }
        ways.add(percent.toString());
        if (cp == ' ') {
            ways.add("\\+");
        }
        // HTML character references, decimal, hexadecimal and the named ones of escaping
        ways.add("&#0*" + cp + ";");
        ways.add("&#[xX]0*" + hex(Integer.toHexString(cp)) + ";");
        switch (cp) {
            case '&': ways.add("&amp;"); break;
            case '<': ways.add("&lt;"); break;
            case '>': ways.add("&gt;"); break;
            case '"': ways.add("&quot;"); break;
            case '\'': ways.add("&apos;"); break;
            default: break;
        }
        return "(?:" + String.join("|", ways) + ")";
    }

    /** Hex digits in either case. */
    private static String hex(String digits) {
        StringBuilder regex = new StringBuilder();
        for (char c : digits.toCharArray()) {
            if (Character.isLetter(c)) {
                regex.append('[').append(Character.toLowerCase(c)).append(Character.toUpperCase(c)).append(']');
            } else {
                regex.append(c);
            }
        }
        return regex.toString();
    }
}
