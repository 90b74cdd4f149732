package io.jenkins.plugins.mlstages.report;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;

import java.util.List;

import org.junit.Test;

/** Control characters of user input are echoed visibly, each as a six-character escape. */
public class PrintableTest {
    @Test
    public void controlCharactersAreEscapedVisibly() {
        assertEquals("col\\u001b[31mred\\u001b[0m", Printable.escape("col\u001b[31mred\u001b[0m"));
        assertEquals("a\\u000d\\u000ab\\u0000c\\u007fd\\u0085", Printable.escape("a\r\nb\u0000c\u007fd\u0085"));
        // Bidirectional overrides reorder what a reader sees (Trojan Source).
        assertEquals("x\\u202ey\\u2066z", Printable.escape("x\u202ey\u2066z"));
        assertEquals(Printable.WIDTH, Printable.escape("\u0007").length());
    }

    @Test
    public void ordinaryTextTabsAndNonAsciiStayAsTheyAre() {
        String text = "région\tÅ ≥ 0.8 'quoted' \\u001b";
        assertSame(text, Printable.escape(text));
        assertNull(Printable.escape(null));
    }

    @Test
    public void escapeLinesKeepsOnlyTheNewlines() {
        assertEquals("one\\u001b\ntwo\\u000d", Printable.escapeLines("one\u001b\ntwo\r"));
        assertEquals("one\\u000atwo", Printable.escape("one\ntwo"));
    }

    @Test
    public void spellingSuggestsTheClosestKnownWordOnlyWhenClose() {
        assertEquals("champion", Spelling.closest("champoin", List.of("champion", "slice")).orElseThrow());
        assertEquals("f1_score", Spelling.closest("f1_scor", List.of("accuracy_score", "f1_score")).orElseThrow());
        assertEquals("roc_auc", Spelling.closest("roc_acu", List.of("roc_auc", "log_loss")).orElseThrow());
        assertEquals("slice", Spelling.closest("slcie", List.of("slice")).orElseThrow());
        assertEquals(false, Spelling.closest("f1", List.of("f1_score", "roc_auc")).isPresent());
        assertEquals(false, Spelling.closest("precision", List.of("champion", "slice")).isPresent());
        assertEquals(false, Spelling.closest("slice", List.of("slice")).isPresent());
    }
}
