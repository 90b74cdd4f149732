package io.jenkins.plugins.mlstages.dvc;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;

import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import io.jenkins.plugins.mlstages.data.DataFormatException;
import io.jenkins.plugins.mlstages.report.Finding;
import io.jenkins.plugins.mlstages.report.Severity;
import io.jenkins.plugins.mlstages.report.StageLog;

/** DVC lock and .dvc files written by hand, in the shapes DVC 2 and DVC 3 write them. */
public class DvcLookupTest {
    private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private Path root;

    @Before
    public void repository() throws Exception {
        root = tmp.newFolder("repo").toPath();
        Files.createDirectories(root.resolve(".dvc"));
    }

    @Test
    public void aFileAddedWithDvc3MatchesItsDotDvcFile() throws Exception {
        Path data = write("data/train.csv", "x,y\n1,2\n");
        write("data/train.csv.dvc", "outs:\n- md5: " + md5("x,y\n1,2\n") + "\n  size: 8\n  hash: md5\n  path: train.csv\n");

        DvcTracking t = DvcLookup.find(data).orElseThrow();

        assertEquals("data/train.csv", t.path());
        assertEquals(md5("x,y\n1,2\n"), t.md5());
        assertEquals(Boolean.TRUE, t.matches());
        assertEquals("data/train.csv.dvc", t.declaredIn());
        assertNull(t.stage());
        assertEquals(DvcTracking.UNKNOWN, t.revision());
        Finding f = t.finding().orElseThrow();
        assertEquals(DvcTracking.CHECK, f.check());
        assertTrue(f.passed());
        assertEquals(md5("x,y\n1,2\n"), t.lineageAttributes().get("dvc_md5"));
        assertEquals("true", t.lineageAttributes().get("dvc_matches"));
    }

    @Test
    public void aFileChangedBehindDvcsBackIsAWarningNamingBothDigests() throws Exception {
        Path data = write("train.csv", "x,y\n1,3\n");
        write("train.csv.dvc", "outs:\n- md5: " + md5("x,y\n1,2\n") + "\n  hash: md5\n  path: train.csv\n");

        Finding f = DvcLookup.find(data).orElseThrow().finding().orElseThrow();

        assertFalse(f.passed());
        assertEquals(Severity.WARNING, f.severity());
        assertEquals("train.csv", f.subject());
        assertEquals(md5("x,y\n1,3\n"), f.observed());
        assertEquals(md5("x,y\n1,2\n"), f.expected());
        assertTrue(f.message(), f.message().contains("train.csv") && f.message().contains(md5("x,y\n1,3\n"))
                && f.message().contains(md5("x,y\n1,2\n")));
    }

    @Test
    public void withoutComparingTheFileIsNotJudged() throws Exception {
        Path data = write("train.csv", "changed\n");
        write("train.csv.dvc", "outs:\n- md5: " + md5("x\n") + "\n  hash: md5\n  path: train.csv\n");

        DvcTracking t = DvcLookup.find(data, false).orElseThrow();

        assertEquals(md5("x\n"), t.md5());
        assertNull(t.actualMd5());
        assertNull(t.matches());
        assertEquals(Optional.empty(), t.finding());
        assertEquals(Severity.ERROR, DvcLookup.find(data, true).orElseThrow().finding(Severity.ERROR).orElseThrow().severity());
    }

    @Test
    public void thePolicyOptionParses() {
        assertEquals(DvcPolicy.WARNING, DvcPolicy.parseOption(null, "--dvc-check"));
        assertEquals(DvcPolicy.ERROR, DvcPolicy.parseOption(" Error ", "--dvc-check"));
        assertEquals(DvcPolicy.OFF, DvcPolicy.parseOption("off", "--dvc-check"));
        assertNull(DvcPolicy.OFF.severity());
        try {
            DvcPolicy.parseOption("strict", "--dvc-check");
            fail();
        } catch (IllegalArgumentException e) {
            assertEquals("--dvc-check: expected error, warning or off, not 'strict'", e.getMessage());
        }
    }

    @Test
    public void aStageOutputOfDvcLockNamesItsStage() throws Exception {
        Path data = write("data/prepared.csv", "a\n1\n");
        write("dvc.lock", "schema: '2.0'\nstages:\n  download:\n    cmd: get\n    outs:\n    - path: data/raw.csv\n"
                + "      hash: md5\n      md5: 00000000000000000000000000000000\n"
                + "  prepare:\n    cmd: python prepare.py\n    deps:\n    - path: data/prepared.csv\n"
                + "      md5: ffffffffffffffffffffffffffffffff\n    outs:\n    - path: data/prepared.csv\n      hash: md5\n"
                + "      md5: " + md5("a\n1\n") + "\n      size: 4\n");

        DvcTracking t = DvcLookup.find(data).orElseThrow();

        assertEquals("prepare", t.stage());
        assertEquals("dvc.lock", t.declaredIn());
        assertEquals(md5("a\n1\n"), t.md5());
        assertEquals(Boolean.TRUE, t.matches());
        assertEquals("prepare", t.lineageAttributes().get("dvc_stage"));
    }

    @Test
    public void aLockInASubfolderHasPathsRelativeToIt() throws Exception {
        Path data = write("sub/out/f.csv", "a\n");
        write("sub/dvc.lock", "schema: '2.0'\nstages:\n  s:\n    outs:\n    - path: out/f.csv\n      hash: md5\n      md5: " + md5("a\n") + "\n");

        DvcTracking t = DvcLookup.find(data).orElseThrow();

        assertEquals("sub/out/f.csv", t.path());
        assertEquals("sub/dvc.lock", t.declaredIn());
        assertEquals(Boolean.TRUE, t.matches());
    }

    @Test
    public void aFileInATrackedDirectoryTakesItsDigestFromTheDvc3Manifest() throws Exception {
        Path data = write("images/b.csv", "b\n");
        write("images/a.csv", "a\n");
        String manifest = "[{\"md5\": \"" + md5("a\n") + "\", \"relpath\": \"a.csv\"}, {\"md5\": \"" + md5("b\n")
                + "\", \"relpath\": \"b.csv\"}]";
        String dirMd5 = md5(manifest);
        write(".dvc/cache/files/md5/" + dirMd5.substring(0, 2) + "/" + dirMd5.substring(2) + ".dir", manifest);
        write("images.dvc", "outs:\n- md5: " + dirMd5 + ".dir\n  size: 4\n  nfiles: 2\n  hash: md5\n  path: images\n");

        DvcTracking t = DvcLookup.find(data).orElseThrow();

        assertEquals("images/b.csv", t.path());
        assertEquals("images", t.output());
        assertEquals(md5("b\n"), t.md5());
        assertEquals(Boolean.TRUE, t.matches());
    }

    @Test
    public void aDvc2DirectoryManifestIsInTheCacheRoot() throws Exception {
        Path data = write("images/a.csv", "changed\n");
        String manifest = "[{\"md5\": \"" + md5("a\n") + "\", \"relpath\": \"a.csv\"}]";
        String dirMd5 = md5(manifest);
        write(".dvc/cache/" + dirMd5.substring(0, 2) + "/" + dirMd5.substring(2) + ".dir", manifest);
        write("images.dvc", "outs:\n- md5: " + dirMd5 + ".dir\n  path: images\n");

        DvcTracking t = DvcLookup.find(data).orElseThrow();

        assertEquals(md5("a\n"), t.md5());
        assertEquals(Boolean.FALSE, t.matches());
        assertFalse(t.finding().orElseThrow().passed());
    }

    @Test
    public void aMissingManifestLeavesTheDigestUnknownAndGivesNoFinding() throws Exception {
        Path data = write("images/a.csv", "a\n");
        write("images.dvc", "outs:\n- md5: 0123456789abcdef0123456789abcdef.dir\n  hash: md5\n  path: images\n");

        DvcTracking t = DvcLookup.find(data).orElseThrow();

        assertNull(t.md5());
        assertNull(t.matches());
        assertEquals(Optional.empty(), t.finding());
        assertTrue(t.note(), t.note().contains("not in the DVC cache"));
        assertEquals(DvcTracking.UNKNOWN, t.lineageAttributes().get("dvc_md5"));
        assertTrue(t.line(), t.line().contains("md5 unknown"));
    }

    @Test
    public void theCacheDirOfTheDvcConfigIsWhereTheManifestIs() throws Exception {
        Path data = write("images/a.csv", "a\n");
        String manifest = "[{\"md5\": \"" + md5("a\n") + "\", \"relpath\": \"a.csv\"}]";
        String dirMd5 = md5(manifest);
        write("elsewhere/files/md5/" + dirMd5.substring(0, 2) + "/" + dirMd5.substring(2) + ".dir", manifest);
        write(".dvc/config", "[core]\n    autostage = true\n[cache]\n    dir = ../elsewhere\n");
        write("images.dvc", "outs:\n- md5: " + dirMd5 + ".dir\n  hash: md5\n  path: images\n");

        assertEquals(Boolean.TRUE, DvcLookup.find(data).orElseThrow().matches());
    }

    @Test
    public void dvc2TookATextFilesMd5AfterCrlfToLf() throws Exception {
        Path data = write("t.csv", "a,b\r\n1,2\r\n");
        write("t.csv.dvc", "outs:\n- md5: " + md5("a,b\n1,2\n") + "\n  path: t.csv\n");

        DvcTracking t = DvcLookup.find(data).orElseThrow();

        assertEquals(Boolean.TRUE, t.matches());
        assertEquals(md5("a,b\n1,2\n"), t.actualMd5());
    }

    @Test
    public void dvc3TakesThePlainMd5SoCrlfToLfDoesNotMatch() throws Exception {
        Path data = write("t.csv", "a,b\r\n1,2\r\n");
        write("t.csv.dvc", "outs:\n- md5: " + md5("a,b\n1,2\n") + "\n  hash: md5\n  path: t.csv\n");

        DvcTracking t = DvcLookup.find(data).orElseThrow();

        assertEquals(Boolean.FALSE, t.matches());
        assertEquals(md5("a,b\r\n1,2\r\n"), t.actualMd5());
    }

    @Test
    public void dvc2TurnedCrlfIntoLfOnlyWithinAChunkAndOnlyInText() throws Exception {
        Path file = write("f", "a\rb\r\nc\r");
        String[] digests = DvcLookup.md5(file, true);
        assertEquals(md5("a\rb\r\nc\r"), digests[0]);
        assertEquals(md5("a\rb\nc\r"), digests[1]);
        assertNull(DvcLookup.md5(file, false)[1]);

        // a CRLF split by the 1 MiB chunk boundary stays, as DVC 2 read it
        String split = "x".repeat((1 << 20) - 1) + "\r\n" + "y\r\n";
        Path big = write("big", split);
        assertEquals(md5("x".repeat((1 << 20) - 1) + "\r\n" + "y\n"), DvcLookup.md5(big, true)[1]);

        // binary by its first 512 bytes (a NUL): no conversion anywhere
        Path binary = write("bin", "\0\r\nrest\r\n");
        assertEquals(md5("\0\r\nrest\r\n"), DvcLookup.md5(binary, true)[1]);
        byte[] mostlyHigh = new byte[100];
        java.util.Arrays.fill(mostlyHigh, (byte) 0xe9);
        assertFalse(DvcLookup.isText(mostlyHigh, 100));
        java.util.Arrays.fill(mostlyHigh, 0, 70, (byte) 'a');
        assertTrue(DvcLookup.isText(mostlyHigh, 100));
    }

    @Test
    public void anUntrackedFileOrOneOutsideADvcRepositoryIsNotDvc() throws Exception {
        Path data = write("other.csv", "a\n");
        write("train.csv.dvc", "outs:\n- md5: " + md5("a\n") + "\n  hash: md5\n  path: train.csv\n");
        assertEquals(Optional.empty(), DvcLookup.find(data));
        Path outside = tmp.newFolder("plain").toPath().resolve("x.csv");
        Files.writeString(outside, "a\n");
        assertEquals(Optional.empty(), DvcLookup.find(outside));
    }

    @Test
    public void anOutputWithoutMd5IsTrackedWithAnUnknownDigest() throws Exception {
        Path data = write("out.csv", "a\n");
        write("dvc.lock", "schema: '2.0'\nstages:\n  s:\n    outs:\n    - path: out.csv\n");

        DvcTracking t = DvcLookup.find(data).orElseThrow();

        assertNull(t.md5());
        assertEquals(Optional.empty(), t.finding());
        assertTrue(t.note(), t.note().contains("dvc.lock records no md5"));
    }

    @Test
    public void anUnreadableLockIsABadInputNamingIt() throws Exception {
        Path data = write("out.csv", "a\n");
        write("dvc.lock", "stages: [unclosed\n");
        try {
            DvcLookup.forStage(data, StageLog.NONE, DvcPolicy.WARNING);
            fail();
        } catch (DataFormatException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith(root.resolve("dvc.lock") + ": "));
        }
    }

    @Test
    public void theRevisionIsTheCommitOfTheBranchHeadNames() throws Exception {
        Path data = write("t.csv", "a\n");
        write("t.csv.dvc", "outs:\n- md5: " + md5("a\n") + "\n  hash: md5\n  path: t.csv\n");
        write(".git/HEAD", "ref: refs/heads/main\n");
        write(".git/refs/heads/main", COMMIT + "\n");
        assertEquals(COMMIT, DvcLookup.find(data).orElseThrow().revision());
    }

    @Test
    public void theRevisionComesFromPackedRefsADetachedHeadOrAWorktree() throws Exception {
        Path git = root.resolve(".git");
        write(".git/HEAD", "ref: refs/heads/main\n");
        write(".git/packed-refs", "# pack-refs with: peeled fully-peeled sorted\n" + COMMIT + " refs/heads/main\n");
        assertEquals(Optional.of(COMMIT), GitRevision.of(root.resolve("sub")));

        write(".git/HEAD", "fedcba9876543210fedcba9876543210fedcba98\n");
        assertEquals(Optional.of("fedcba9876543210fedcba9876543210fedcba98"), GitRevision.of(root));

        Path worktree = tmp.newFolder("wt").toPath();
        write(".git/worktrees/wt/HEAD", "ref: refs/heads/feature\n");
        write(".git/worktrees/wt/commondir", "../..\n");
        write(".git/refs/heads/feature", COMMIT + "\n");
        Files.writeString(worktree.resolve(".git"), "gitdir: " + git.resolve("worktrees/wt") + "\n");
        assertEquals(Optional.of(COMMIT), GitRevision.of(worktree));
    }

    @Test
    public void aBranchWithoutCommitsHasNoRevision() throws Exception {
        write(".git/HEAD", "ref: refs/heads/main\n");
        Files.createDirectories(root.resolve(".git/refs/heads"));
        assertEquals(Optional.empty(), GitRevision.of(root));
    }

    private Path write(String relative, String content) throws Exception {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    static String md5(String content) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content.getBytes(StandardCharsets.UTF_8)));
    }
}
