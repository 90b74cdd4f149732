package io.jenkins.plugins.mlstages.cli;

import static org.junit.Assert.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.Test;

import io.jenkins.plugins.mlstages.report.Secrets;

/** Tests {@link RedactingWriter}: what the CLI prints is redacted even when a credential arrives in pieces. */
public class RedactingWriterTest {
    @Test
    public void aCredentialWrittenInPiecesIsRedactedWhole() {
        String token = "writer-" + System.nanoTime();
        Secrets.remember(Secrets.bearer(token));
        StringWriter target = new StringWriter();
        PrintWriter out = new PrintWriter(new RedactingWriter(target));
        out.print("Authorization: Bearer " + token.substring(0, 5));
        out.print(token.substring(5));
        out.println(" refused");
        assertEquals("Authorization: **** refused" + System.lineSeparator(), target.toString());
        // a line not ended yet goes out, redacted, when the stream is flushed
        out.print("progress " + token);
        out.flush();
        assertEquals("Authorization: **** refused" + System.lineSeparator() + "progress ****", target.toString());
    }
}
